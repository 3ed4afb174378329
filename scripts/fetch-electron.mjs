// postinstall: fetch the Electron binary when the network allows. Electron's own install script is blocked in
// package.json "allowScripts" because it fails the whole `npm install` when github.com is unreachable; here a
// failure is reported and the app falls back to serving its UI in a browser.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const current = electronBinary();

if ('path' in current) process.exit(0);
if (process.env.HEXCLAVE_SKIP_ELECTRON_DOWNLOAD) {
  console.log(
    '[hexclave-companion] Skipping the Electron download (HEXCLAVE_SKIP_ELECTRON_DOWNLOAD is set).',
  );
  process.exit(0);
}
const installer = join(root, 'node_modules', 'electron', 'install.js');
const result = spawnSync(process.execPath, [installer], {
  cwd: join(root, 'node_modules', 'electron'),
  encoding: 'utf8',
  timeout: 180_000,
});
if (result.status === 0 && 'path' in electronBinary()) {
  console.log('[hexclave-companion] Electron binary installed.');
} else {
  const reason =
    (result.stderr || result.stdout || String(result.error ?? '')).split('\n').find((l) => l.trim()) ??
    'unknown error';
  console.log(
    `[hexclave-companion] Electron binary not available (${reason.trim()}). \`npm start\` will serve the UI in your browser instead.`,
  );
}
