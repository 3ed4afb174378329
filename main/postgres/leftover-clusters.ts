import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CLUSTER_OWNER_FILE, ROOT_CLUSTER_HOME } from '../app-paths.js';
import { postmasterPid } from './processes.js';

/** Whether `pid` runs: a zombie (exited, not yet reaped by its parent) does not, though kill(pid, 0) says it does. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/** Cluster folders at `root` and up to two levels below it (a project keeps `postgres/` and `mirror/`). */
function clusterDirs(root: string, depth = 2): string[] {
  if (!existsSync(root)) return [];
  if (existsSync(join(root, 'PG_VERSION'))) return [root];
  if (depth === 0) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => clusterDirs(join(root, entry.name), depth - 1));
}

/**
 * Stop every Postgres server still running on a cluster under `root` (one a crashed or half-started runtime left
 * behind) before its files are deleted: a fast shutdown (SIGINT), then SIGKILL past the deadline.
 */
export async function stopClustersUnder(root: string, deadlineMs = 10_000, depth = 2): Promise<void> {
  const pids = clusterDirs(root, depth)
    .map(postmasterPid)
    .filter((pid): pid is number => pid !== null && running(pid));
  for (const pid of pids) process.kill(pid, 'SIGINT');
  const deadline = Date.now() + deadlineMs;
  while (pids.some(running) && Date.now() < deadline) await delay(50);
  for (const pid of pids.filter(running)) process.kill(pid, 'SIGKILL');
}

/**
 * Delete the cluster homes under ROOT_CLUSTER_HOME whose data folder no longer exists (a test's temp folder, a
 * removed install), stopping any server still running on them first. Homes of existing data folders are kept.
 */
export async function removeOrphanedClusterHomes(root: string = ROOT_CLUSTER_HOME): Promise<string[]> {
  if (!existsSync(root)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('data-')) continue;
    const home = join(root, entry.name);
    let owner: string;
    try {
      owner = readFileSync(join(home, CLUSTER_OWNER_FILE), 'utf8');
    } catch {
      continue;
    }
    if (owner === '' || existsSync(owner)) continue;
    // A home holds `<name>/postgres` or `projects/<id>/postgres`.
    await stopClustersUnder(home, 10_000, 3);
    rmSync(home, { recursive: true, force: true });
    removed.push(home);
  }
  return removed;
}
