import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

/** A file or folder of the build (`out/…`); `npm run build` makes them all, and nothing builds on demand. */
export function buildOutput(...segments: string[]): string {
  return join(packageRoot(), 'out', ...segments);
}

/**
 * The build output at `path`, or an error naming the fix. Never builds: a build spawned from the app would block
 * it (under Electron, `process.execPath` is the app itself) and an installed package has no build tools.
 */
export function requireBuildOutput(path: string, what: string): string {
  if (!existsSync(path)) {
    throw new Error(`${what} is not built (${path} is missing): run \`npm run build\` in the checkout.`);
  }
  return path;
}
