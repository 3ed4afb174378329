// `npm start`: the desktop app where Electron can run, otherwise the same UI served to a browser (and why).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';
import { electronBinary, hasDisplay } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binary = electronBinary();
const extraArgs = process.argv.slice(2);

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

// Everything the app needs (main, preloads, UI, in-page overlay) is built here, before it starts: the app itself
// never builds anything. Only what changed since the last build is rebuilt.
try {
  await buildAll({ log: (line) => console.error(`[build] ${line}`) });
} catch (error) {
  console.error(`[hexclave-companion] The build failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

if ('path' in binary && hasDisplay()) {
  run(binary.path, [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...extraArgs]);
} else {
  const reason = 'path' in binary ? 'no display is available (DISPLAY is unset)' : binary.missing;
  console.error(
    `[hexclave-companion] Electron cannot start: ${reason}. Serving the same UI in your browser instead.`,
  );
  run(process.execPath, [join(root, 'bin', 'hexclave-companion.js'), 'serve', ...extraArgs]);
}
