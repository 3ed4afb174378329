// `npm start`: the desktop app where Electron can run, otherwise the same UI served to a browser (and why).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, hasDisplay } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binary = electronBinary();
const extraArgs = process.argv.slice(2);

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

if ('path' in binary && hasDisplay()) {
  run(binary.path, [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...extraArgs]);
} else {
  const reason = 'path' in binary ? 'no display is available (DISPLAY is unset)' : binary.missing;
  console.error(
    `[hexclave-companion] Electron cannot start: ${reason}. Serving the same UI in your browser instead.`,
  );
  run(process.execPath, [join(root, 'bin', 'hexclave-companion.js'), 'serve', ...extraArgs]);
}
