// Where the Electron binary is, or why it is not usable here. Shared by the installer step and `npm start`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

/** @returns {{ path: string } | { missing: string }} */
export function electronBinary() {
  if (!existsSync(join(electronDir, 'package.json'))) {
    return { missing: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(electronDir, 'path.txt');
  // Electron's own override (node_modules/electron/index.js honours it too): a locally built or unpacked Electron.
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : defaultExecutable();
    const binary = join(override, name);
    return existsSync(binary) ? { path: binary } : { missing: `ELECTRON_OVERRIDE_DIST_PATH has no ${name}` };
  }
  if (!existsSync(pathFile)) {
    return {
      missing: 'the Electron binary was not downloaded (its installer needs github.com, unreachable here)',
    };
  }
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { missing: `the Electron binary is missing at ${binary}` };
  return { path: binary };
}

export function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** The executable's name inside an Electron dist folder, as Electron's installer writes it to path.txt. */
function defaultExecutable() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return process.platform === 'win32' ? 'electron.exe' : 'electron';
}
