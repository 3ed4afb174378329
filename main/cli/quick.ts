/**
 * The entry for `ids` and `env`, the commands a developer runs dozens of times a day: both are linked in, so the
 * build emits this as one file (out/main/quick.js) and they start by loading it alone instead of a dozen shared
 * chunks. bin/hexclave-companion.js sends these two commands here and every other one to main.ts.
 */
import { endQuietlyOnClosedOutput } from './closed-output.js';
import { registerEnvCommand } from './commands/env.js';
import { registerIdsCommand } from './commands/ids.js';
import { runCli } from './program.js';

endQuietlyOnClosedOutput();
const code = await runCli(process.argv.slice(2), {
  ids: async () => registerIdsCommand,
  env: async () => registerEnvCommand,
});
if (code !== 0) process.exit(code);
