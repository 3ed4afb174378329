import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseSyml } from '@yarnpkg/parsers';
import { parse as parseYaml } from 'yaml';

/**
 * The version a lockfile pins for a package as seen from one app folder: npm's package-lock.json (v2/v3
 * `packages`, resolved the way Node walks node_modules; v1 `dependencies`), pnpm-lock.yaml (`importers`), and
 * yarn.lock (classic and Berry, both through @yarnpkg/parsers).
 */

export type LockfileName = 'package-lock.json' | 'pnpm-lock.yaml' | 'yarn.lock';

export interface Lockfile {
  readonly name: LockfileName;
  readonly dir: string;
  version(appDir: string, pkg: string, declared: string | null): string | null;
}

const posix = (path: string) => path.split('\\').join('/');

function npmLock(dir: string, text: string): Lockfile {
  const data = JSON.parse(text) as {
    packages?: Record<string, { version?: string }>;
    dependencies?: Record<string, { version?: string }>;
  };
  return {
    name: 'package-lock.json',
    dir,
    version(appDir, pkg) {
      let rel = posix(relative(dir, appDir));
      for (;;) {
        const key = `${rel === '' ? '' : `${rel}/`}node_modules/${pkg}`;
        const found = data.packages?.[key]?.version;
        if (found) return found;
        if (rel === '') break;
        rel = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
      }
      return data.dependencies?.[pkg]?.version ?? null;
    },
  };
}

function pnpmLock(dir: string, text: string): Lockfile {
  const data = parseYaml(text) as {
    importers?: Record<string, Record<string, Record<string, string | { version?: string }>>>;
  };
  return {
    name: 'pnpm-lock.yaml',
    dir,
    version(appDir, pkg) {
      const importer = data.importers?.[posix(relative(dir, appDir)) || '.'];
      for (const group of ['dependencies', 'devDependencies', 'optionalDependencies']) {
        const entry = importer?.[group]?.[pkg];
        const version = typeof entry === 'string' ? entry : entry?.version;
        // `2.8.108(react@19.0.0)`: the peer context in parentheses is not part of the version.
        if (version && !version.startsWith('link:')) return version.replace(/\(.*$/, '');
      }
      return null;
    },
  };
}

function yarnLock(dir: string, text: string): Lockfile {
  const data = parseSyml(text) as Record<string, { version?: string }>;
  return {
    name: 'yarn.lock',
    dir,
    version(_appDir, pkg, declared) {
      if (declared === null) return null;
      const wanted = [`${pkg}@${declared}`, `${pkg}@npm:${declared}`];
      for (const [key, value] of Object.entries(data)) {
        const descriptors = key.split(',').map((d) => d.trim().replace(/^"|"$/g, ''));
        if (descriptors.some((d) => wanted.includes(d)) && value.version) return value.version;
      }
      return null;
    },
  };
}

const READERS: Record<LockfileName, (dir: string, text: string) => Lockfile> = {
  'package-lock.json': npmLock,
  'pnpm-lock.yaml': pnpmLock,
  'yarn.lock': yarnLock,
};

export class LockfileError extends Error {
  override readonly name = 'LockfileError';
}

/** The nearest lockfile at or above `appDir`, not above `root`. */
export function findLockfile(
  root: string,
  appDir: string,
  cache: Map<string, Lockfile | null>,
): Lockfile | null {
  let dir = appDir;
  for (;;) {
    for (const name of Object.keys(READERS) as LockfileName[]) {
      const path = join(dir, name);
      if (!cache.has(path)) {
        if (!existsSync(path)) {
          cache.set(path, null);
        } else {
          try {
            cache.set(path, READERS[name](dir, readFileSync(path, 'utf8')));
          } catch (error) {
            throw new LockfileError(
              `${path} could not be read: ${error instanceof Error ? error.message : error}`,
            );
          }
        }
      }
      const lockfile = cache.get(path);
      if (lockfile) return lockfile;
    }
    if (dir === root) return null;
    const parent = dirname(dir);
    if (parent === dir || relative(root, parent).startsWith('..')) return null;
    dir = parent;
  }
}
