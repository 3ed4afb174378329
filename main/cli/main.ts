import { endQuietlyOnClosedOutput } from './closed-output.js';
import { runCli } from './program.js';

endQuietlyOnClosedOutput();
const code = await runCli(process.argv.slice(2));
// Long-running commands (serve, emulator, sync) keep the event loop alive and exit from their signal handlers.
if (code !== 0) process.exit(code);
