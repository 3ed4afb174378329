#!/usr/bin/env node
// The CLI as built JavaScript (`npm run build`, run by `prepare` on install and by `npm pack`): no TypeScript is
// compiled at run time, and each command's code loads only when that command runs.
//
// This file is CommonJS (bin/package.json), and so is out/main/quick.cjs: `ids` and `env`, run dozens of times a
// day, start without Node's ES module loader and load one file (main/cli/quick.ts). Every other command is the ES
// module out/main/cli.js and its chunks.
const QUICK_COMMANDS = ['ids', 'env'];
const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));

function notBuilt(entry) {
  process.stderr.write(
    `hexclave-companion is not built (out/main/${entry} is missing): run \`npm run build\` in the checkout.\n`,
  );
  process.exit(2);
}

if (QUICK_COMMANDS.includes(command)) {
  let quick;
  try {
    quick = require.resolve('../out/main/quick.cjs');
  } catch {
    notBuilt('quick.cjs');
  }
  require(quick);
} else {
  import('../out/main/cli.js').catch((error) => {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('out/main/cli.js'))
      notBuilt('cli.js');
    throw error;
  });
}
