import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Postgres processes of one cluster folder, found from the outside: by its `postmaster.pid` (any platform) and,
 * on Linux, by our own child processes whose command line names the folder (an initdb or a postmaster that has not
 * written its pid file yet). Used to stop a cluster wherever its startup is, and to recover one whose owner died.
 */

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux: fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Parent pid (Linux), or null where /proc cannot tell. */
export function parentPid(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? Number(fields[1]) : null;
}

/** When the process started, in clock ticks since boot (Linux), to tell a pid from a later one that reused it. */
export function startTicks(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

function commandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return null;
  }
}

/** The live postmaster of `dataDir`, from its pid file; null when none runs (a stale file, a reused pid). */
export function postmasterPid(dataDir: string): number | null {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  const argv = commandLine(pid);
  // Where /proc can tell, a pid now used by something else is not our postmaster.
  if (argv && !argv.some((arg) => /postgres/.test(arg))) return null;
  return pid;
}

/** Linux: our child processes whose arguments name `dir` (`initdb --pgdata=dir`, `postgres -D dir`). */
export function childProcessesIn(dir: string): number[] {
  if (process.platform !== 'linux') return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (parentPid(pid) !== process.pid) continue;
    const argv = commandLine(pid);
    if (argv?.some((arg) => arg === dir || arg.endsWith(`=${dir}`))) found.push(pid);
  }
  return found;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function gone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/**
 * Stop a postmaster: fast shutdown (SIGINT: sessions are cut, data is flushed), then immediate shutdown (SIGQUIT),
 * then SIGKILL, each after a grace period. Resolves once the process is gone.
 */
export async function stopPostmaster(pid: number, graceMs = 10_000): Promise<void> {
  signal(pid, 'SIGINT');
  if (await gone(pid, graceMs)) return;
  signal(pid, 'SIGQUIT');
  if (await gone(pid, graceMs / 2)) return;
  signal(pid, 'SIGKILL');
  await gone(pid, graceMs / 2);
}

/** Ask a child (initdb, a starting postmaster) to stop: initdb removes what it wrote on SIGTERM. */
export function interrupt(pid: number): void {
  signal(pid, 'SIGTERM');
}
