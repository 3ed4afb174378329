#!/usr/bin/env node
// The CLI as built JavaScript (`npm run build`, run by `prepare` on install and by `npm pack`): no TypeScript is
// compiled at run time, and each command's code loads only when that command runs. `ids` and `env`, run dozens of
// times a day, have an entry of their own built as one file (main/cli/quick.ts): one module to load, not a dozen.
const QUICK_COMMANDS = ['ids', 'env'];
const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const entry = QUICK_COMMANDS.includes(command) ? 'quick.js' : 'cli.js';
try {
  await import(`../out/main/${entry}`);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(`out/main/${entry}`))
    throw error;
  process.stderr.write(
    `hexclave-companion is not built (out/main/${entry} is missing): run \`npm run build\` in the checkout.\n`,
  );
  process.exit(2);
}
