/**
 * The entry for `ids` and `env`, the commands a developer runs dozens of times a day: both are linked in, and the
 * build emits this as one CommonJS file (out/main/quick.cjs), so they start without the ES module loader and load
 * that file alone instead of a dozen shared chunks. bin/hexclave-companion.js sends these two commands here and
 * every other one to main.ts. No top-level await: CommonJS has none.
 */
import { endQuietlyOnClosedOutput } from './closed-output.js';
import { registerEnvCommand } from './commands/env.js';
import { registerIdsCommand } from './commands/ids.js';
import { runCli } from './program.js';

endQuietlyOnClosedOutput();
void runCli(process.argv.slice(2), {
  ids: async () => registerIdsCommand,
  env: async () => registerEnvCommand,
}).then((code) => {
  if (code !== 0) process.exit(code);
});
