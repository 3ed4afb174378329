import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

export function rendererDir(): string {
  return join(packageRoot(), 'out', 'renderer');
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when out/renderer is missing or older than the renderer/shared sources it is built from. */
export function rendererBuildIsStale(): boolean {
  const index = join(rendererDir(), 'index.html');
  if (!existsSync(index)) return true;
  const builtAt = statSync(index).mtimeMs;
  const root = packageRoot();
  return ['renderer', 'shared'].some((folder) => newestMtime(join(root, folder)) > builtAt);
}

/** Build the UI with electron-vite when it is missing or stale (a source checkout without `npm run build`). */
export function ensureRendererBuilt(log: (line: string) => void): void {
  if (!rendererBuildIsStale()) return;
  log('Building the companion UI (electron-vite build)…');
  const root = packageRoot();
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) {
    throw new Error(
      `Building the UI failed (electron-vite build exited ${result.status}):\n${result.stderr || result.stdout}`,
    );
  }
}
