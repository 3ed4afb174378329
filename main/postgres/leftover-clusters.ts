import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** A /proc file's text, or '' when it is not there (no /proc, or the process is gone). */
function procText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Whether `pid` runs (a zombie, dead but not yet reaped by its parent, does not). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/^\d+ \(.*\) Z/.test(procText(`/proc/${pid}/stat`));
}

/** The live postmaster of a cluster folder, if any (a stale pid file, or a pid reused by another program, is none). */
function livePostmaster(dataDir: string): number | null {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !running(pid)) return null;
  const cmdline = procText(`/proc/${pid}/cmdline`);
  if (cmdline !== '' && !cmdline.includes('postgres')) return null;
  return pid;
}

/** Cluster folders at `root` and up to two levels below it (a project keeps `postgres/` and `mirror/`). */
function clusterDirs(root: string, depth = 2): string[] {
  if (!existsSync(root)) return [];
  if (existsSync(join(root, 'PG_VERSION'))) return [root];
  const found: string[] = [];
  if (depth === 0) return found;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...clusterDirs(join(root, entry.name), depth - 1));
  }
  return found;
}

/**
 * Stop every Postgres server still running on a cluster under `root` (one a crashed or half-started runtime left
 * behind) before its files are deleted: a fast shutdown (SIGINT), then SIGKILL past the deadline.
 */
export async function stopClustersUnder(root: string, deadlineMs = 10_000): Promise<void> {
  const pids = clusterDirs(root)
    .map(livePostmaster)
    .filter((pid): pid is number => pid !== null);
  for (const pid of pids) process.kill(pid, 'SIGINT');
  const deadline = Date.now() + deadlineMs;
  const alive = () => pids.filter(running);
  while (alive().length > 0 && Date.now() < deadline) await delay(50);
  for (const pid of alive()) process.kill(pid, 'SIGKILL');
}
