import { Command, CommanderError } from 'commander';
import { appVersion } from '../version.js';
import { registerCheckCommand } from './commands/check.js';
import { registerEmulatorCommand } from './commands/emulator.js';
import { registerEnvCommand } from './commands/env.js';
import { registerIdsCommand } from './commands/ids.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerProxyCommand } from './commands/proxy.js';
import { registerScanCommand } from './commands/scan.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSyncCommand } from './commands/sync.js';
import { UsageError } from './usage-error.js';

/** Every command registers itself here; each lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('hexclave-companion')
    .description(
      'See and trust the Stack Auth → Hexclave compatibility layer; mirror your users into your own Postgres.',
    )
    .version(appVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerIdsCommand(program);
  registerEnvCommand(program);
  registerServeCommand(program);
  registerEmulatorCommand(program);
  registerCheckCommand(program);
  registerProxyCommand(program);
  registerMcpCommand(program);
  registerSyncCommand(program);
  registerScanCommand(program);
  return program;
}

/** Exit codes: 0 success, 1 a command's negative verdict, 2 bad usage or cannot run. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output are successful exits; commander already printed the usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
