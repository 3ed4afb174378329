import { endQuietlyOnClosedOutput } from './closed-output.js';
import type { CommandLoaders } from './program.js';
import { runCli } from './program.js';

/** One dynamic import per command: running `sync` never loads the emulator, the MCP server or the UI host. */
const LOADERS: Required<CommandLoaders> = {
  ids: async () => (await import('./commands/ids.js')).registerIdsCommand,
  env: async () => (await import('./commands/env.js')).registerEnvCommand,
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
  emulator: async () => (await import('./commands/emulator.js')).registerEmulatorCommand,
  check: async () => (await import('./commands/check.js')).registerCheckCommand,
  proxy: async () => (await import('./commands/proxy.js')).registerProxyCommand,
  mcp: async () => (await import('./commands/mcp.js')).registerMcpCommand,
  sync: async () => (await import('./commands/sync.js')).registerSyncCommand,
  scan: async () => (await import('./commands/scan.js')).registerScanCommand,
};

endQuietlyOnClosedOutput();
const code = await runCli(process.argv.slice(2), LOADERS);
// Long-running commands (serve, emulator, sync) keep the event loop alive and exit from their signal handlers.
if (code !== 0) process.exit(code);
