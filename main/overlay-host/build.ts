import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

export function overlayScriptFile(): string {
  return join(packageRoot(), 'out', 'overlay', 'overlay.js');
}

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when out/overlay/overlay.js is missing or older than the overlay/shared sources it is built from. */
export function overlayBuildIsStale(): boolean {
  const file = overlayScriptFile();
  if (!existsSync(file)) return true;
  const builtAt = statSync(file).mtimeMs;
  const root = packageRoot();
  return ['overlay', 'shared'].some((folder) => newestMtime(join(root, folder)) > builtAt);
}

/** Build the in-page script with vite when it is missing or stale (a source checkout without `npm run build`). */
export function ensureOverlayBuilt(log: (line: string) => void): void {
  if (!overlayBuildIsStale()) return;
  const root = packageRoot();
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    if (existsSync(overlayScriptFile())) return; // an installed app ships the built script without vite
    throw new Error(
      'The overlay script is not built and vite is not installed: run `npm install && npm run build`.',
    );
  }
  log('Building the in-page overlay (vite build -c overlay/vite.config.ts)…');
  const result = spawnSync(process.execPath, [vite, 'build', '-c', join(root, 'overlay', 'vite.config.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(
      `Building the overlay failed (vite build exited ${result.status}):\n${result.stderr || result.stdout}`,
    );
  }
}
