import type { Command } from 'commander';
import { OVERLAY_SCRIPT_PATH } from '../../../shared/overlay-protocol.js';
import { onShutdown, stopOnSignals } from '../../lifecycle/index.js';
import { startServeMode } from '../../serve/index.js';
import { COMMAND_TABLE } from '../command-table.js';
import { logLine } from '../output.js';
import { parsePort } from '../parse-port.js';

interface ServeCommandOptions {
  readonly port?: string;
  readonly json?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(COMMAND_TABLE.serve.summary)
    .option('--port <port>', 'port to listen on (0 = any free port)', '0')
    .option('--json', 'print {"event":"ready","url":…} instead of a sentence')
    .action(async (options: ServeCommandOptions) => {
      const port = parsePort(options.port);
      stopOnSignals({ log: logLine });
      const running = await startServeMode({ port, reason: null });
      // Stops the projects too: their worker threads, emulators and Postgres servers.
      onShutdown(() => running.close());
      const overlayScript = `${running.origin}${OVERLAY_SCRIPT_PATH}`;
      if (options.json) {
        const ready = { event: 'ready', url: running.url, port: running.port, overlayScript };
        process.stdout.write(`${JSON.stringify(ready)}\n`);
      } else {
        process.stdout.write(`Hexclave Companion is serving at ${running.url}\n`);
        process.stdout.write(`In-page dev tool for your app: <script src="${overlayScript}"></script>\n`);
      }
      logLine('Press Ctrl+C to stop.');
    });
}
