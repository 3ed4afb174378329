#!/usr/bin/env node
// The CLI as built JavaScript (`npm run build`, run by `prepare` on install and by `npm pack`): no TypeScript is
// compiled at run time, and each command's code loads only when that command runs.
try {
  await import('../out/main/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('out/main/cli.js'))
    throw error;
  process.stderr.write(
    'hexclave-companion is not built (out/main/cli.js is missing): run `npm run build` in the checkout.\n',
  );
  process.exit(2);
}
