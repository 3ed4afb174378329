import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLUSTER_OWNER_FILE, postgresClusterDir, ROOT_CLUSTER_HOME } from '../../../main/app-paths.js';
import { removeOrphanedClusterHomes } from '../../../main/postgres/index.js';

// As root, embedded Postgres runs as `postgres`, which cannot enter a 0700 data folder (mkdtemp makes one), so the
// clusters of such a folder live under /var/lib/hexclave-companion. Only then is there anything to keep apart.
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.log('[cluster-homes] skipped: clusters move to a shared home only when running as root');

describe.skipIf(!isRoot)('cluster homes of data folders closed to other users (root)', () => {
  const made: string[] = [];
  const dataFolder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cluster-home-'));
    made.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('gives each data folder its own home, naming its owner, and keeps the default folder where it was', () => {
    const [a, b] = [dataFolder(), dataFolder()];
    const clusterA = postgresClusterDir(join('projects', 'p1'), a);
    const clusterB = postgresClusterDir(join('projects', 'p1'), b);
    expect(clusterA.startsWith(`${ROOT_CLUSTER_HOME}/data-`)).toBe(true);
    expect(clusterA).not.toBe(clusterB);
    const homeA = dirname(dirname(dirname(clusterA)));
    made.push(homeA, dirname(dirname(dirname(clusterB))));
    expect(readFileSync(join(homeA, CLUSTER_OWNER_FILE), 'utf8')).toBe(a);
    // Same folder, same cluster: a restart finds its data.
    expect(postgresClusterDir(join('projects', 'p1'), a)).toBe(clusterA);
    // The platform's default folder keeps the shared home earlier versions used; one named by
    // HEXCLAVE_COMPANION_HOME is another install and gets its own.
    const saved = process.env.HEXCLAVE_COMPANION_HOME;
    try {
      delete process.env.HEXCLAVE_COMPANION_HOME;
      const defaultCluster = postgresClusterDir('emulator');
      if (defaultCluster.startsWith(ROOT_CLUSTER_HOME))
        expect(defaultCluster).toBe(join(ROOT_CLUSTER_HOME, 'emulator', 'postgres'));
      const other = dataFolder();
      process.env.HEXCLAVE_COMPANION_HOME = other;
      const otherCluster = postgresClusterDir('emulator');
      made.push(dirname(dirname(otherCluster)));
      expect(otherCluster.startsWith(`${ROOT_CLUSTER_HOME}/data-`)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.HEXCLAVE_COMPANION_HOME;
      else process.env.HEXCLAVE_COMPANION_HOME = saved;
    }
  });

  it('removes the homes of deleted data folders and keeps the others', async () => {
    const [gone, kept] = [dataFolder(), dataFolder()];
    const goneCluster = postgresClusterDir(join('projects', 'p2'), gone);
    const keptCluster = postgresClusterDir(join('projects', 'p2'), kept);
    mkdirSync(goneCluster, { recursive: true });
    mkdirSync(keptCluster, { recursive: true });
    const goneHome = dirname(dirname(dirname(goneCluster)));
    made.push(goneHome, dirname(dirname(dirname(keptCluster))));
    rmSync(gone, { recursive: true, force: true });

    const removed = await removeOrphanedClusterHomes();
    expect(removed).toContain(goneHome);
    expect(existsSync(goneHome)).toBe(false);
    expect(existsSync(keptCluster)).toBe(true);
  });
});
