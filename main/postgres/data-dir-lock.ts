import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPid, postmasterPid, startTicks, stopPostmaster } from './processes.js';

/**
 * Which process owns a cluster folder. The companion writes its pid (and, on Linux, the process's start time, so a
 * reused pid is not mistaken for it) into the folder while its postmaster runs. A postmaster whose owner is gone —
 * the companion was killed with SIGKILL, or crashed — is an orphan: the next start stops it and takes over, instead
 * of refusing the folder as "in use".
 */

const OWNER_FILE = 'hexclave-companion.owner';

interface Owner {
  readonly pid: number;
  readonly startTicks: string | null;
}

function readOwner(dataDir: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(join(dataDir, OWNER_FILE), 'utf8')) as Owner;
    return Number.isInteger(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

function ownerAlive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const ticks = startTicks(owner.pid);
  return owner.startTicks === null || ticks === null || ticks === owner.startTicks;
}

export interface ClusterHolder {
  readonly postmasterPid: number;
  /** The companion process that started it, when known. */
  readonly ownerPid: number | null;
}

/**
 * The live process holding `dataDir`, or null when it is free. A postmaster counts as held while its owner runs,
 * or — for a folder without an owner record — while its parent is not init (Linux; elsewhere it always counts).
 */
export function clusterHolder(dataDir: string): ClusterHolder | null {
  const pid = postmasterPid(dataDir);
  if (pid === null) return null;
  const owner = readOwner(dataDir);
  if (owner) return ownerAlive(owner) ? { postmasterPid: pid, ownerPid: owner.pid } : null;
  return parentPid(pid) === 1 ? null : { postmasterPid: pid, ownerPid: null };
}

/** Stop a postmaster left running in `dataDir` by a process that is gone. Resolves true when it stopped one. */
export async function recoverOrphanedCluster(dataDir: string, log: (line: string) => void): Promise<boolean> {
  const pid = postmasterPid(dataDir);
  if (pid === null || clusterHolder(dataDir) !== null) return false;
  log(`Stopping the Postgres server (pid ${pid}) left running in ${dataDir} by a process that is gone…`);
  await stopPostmaster(pid);
  return true;
}

export function claimCluster(dataDir: string): void {
  const owner: Owner = { pid: process.pid, startTicks: startTicks(process.pid) };
  writeFileSync(join(dataDir, OWNER_FILE), JSON.stringify(owner), { mode: 0o644 });
}

export function releaseCluster(dataDir: string): void {
  const owner = readOwner(dataDir);
  if (owner?.pid === process.pid) rmSync(join(dataDir, OWNER_FILE), { force: true });
}
