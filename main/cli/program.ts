import { Command, CommanderError } from 'commander';
import { awaitShutdown, shutdownSignal } from '../lifecycle/index.js';
import { appVersion } from '../version.js';
import { COMMAND_TABLE, type CommandName, exitCodesHelp, isCommandName } from './command-table.js';
import { UsageError } from './usage-error.js';

type Register = (program: Command) => void;

/**
 * How each command's code is loaded: one dynamic import per command in the CLI (main.ts), so running `ids` never
 * loads the emulator, the MCP server or the UI host; the quick entry (quick.ts) links its two in.
 */
export type CommandLoaders = Partial<Record<CommandName, () => Promise<Register>>>;

const GENERAL_HELP = `
Exit codes (each command's --help lists its own):
  0  success
  1  a command that judges something gave a negative verdict
  2  bad usage, or the command cannot run (one line on stderr names the cause and the fix)

Run \`hexclave-companion <command> --help\` for a command's options.
`;

/** The command this argv runs (`help <command>` included), or undefined for the top-level help and version. */
export function invokedCommand(argv: readonly string[]): CommandName | undefined {
  const index = argv.findIndex((arg) => !arg.startsWith('-'));
  if (index === -1) return undefined;
  const name = argv[index] === 'help' ? argv[index + 1] : argv[index];
  return name !== undefined && isCommandName(name) ? name : undefined;
}

/** The program with the invoked command fully defined; every other command is only listed (name and summary). */
export async function buildProgram(argv: readonly string[], loaders: CommandLoaders): Promise<Command> {
  const program = new Command('hexclave-companion')
    .description(
      'See and trust the Stack Auth → Hexclave compatibility layer; mirror your users into your own Postgres.',
    )
    .version(appVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .addHelpText('after', GENERAL_HELP);
  const wanted = invokedCommand(argv);
  for (const name of Object.keys(COMMAND_TABLE) as CommandName[]) {
    const load = name === wanted ? loaders[name] : undefined;
    if (load) (await load())(program);
    else program.command(name).description(COMMAND_TABLE[name].summary);
  }
  for (const command of program.commands) {
    if (isCommandName(command.name()))
      command.addHelpText('after', exitCodesHelp(COMMAND_TABLE[command.name() as CommandName]));
  }
  return program;
}

/** Exit codes: 0 success, 1 a command's negative verdict, 2 bad usage or cannot run. */
export async function runCli(argv: readonly string[], loaders: CommandLoaders): Promise<number> {
  // No arguments: the same help, on stdout, as --help.
  const args = argv.length === 0 ? ['--help'] : [...argv];
  try {
    const program = await buildProgram(args, loaders);
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // A startup cut short by Ctrl+C: the signal handler is cleaning up and will exit; an error line now would lie.
    if (shutdownSignal.aborted) return awaitShutdown();
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
