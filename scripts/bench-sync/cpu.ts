import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type pg from 'pg';

/**
 * CPU time spent per part of the pipeline, read from /proc for the server processes of the engine's connections
 * (grouped by their application_name role: control = sequencer and queue, fetch = page reads and statistics,
 * target = staging and merges) plus this Node process. On a shared machine wall-clock seconds swing with the load;
 * CPU milliseconds per row say where the work is. Empty when the server is not on this machine.
 */
export type CpuByRole = Record<string, number>;

function backendCpuMs(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

export async function cpuByRole(admin: pg.Client): Promise<CpuByRole> {
  const { rows } = await admin.query<{ pid: number; name: string }>(
    `SELECT pid, application_name AS name FROM pg_stat_activity WHERE application_name LIKE 'hexclave-companion-sync:%'`,
  );
  const out: CpuByRole = {};
  for (const row of rows) {
    const ms = backendCpuMs(row.pid);
    if (ms === null) continue;
    const role = row.name.replace('hexclave-companion-sync:', '').replace(/^target:.*/, 'target');
    out[role] = (out[role] ?? 0) + ms;
  }
  const usage = process.cpuUsage();
  out.node = (usage.user + usage.system) / 1000;
  return out;
}

export function cpuSince(before: CpuByRole, after: CpuByRole): CpuByRole {
  const out: CpuByRole = {};
  for (const [role, ms] of Object.entries(after)) out[role] = Math.round(ms - (before[role] ?? 0));
  return out;
}

/** CPU seconds the whole machine (all processes: both servers' backends and background writers, Node) has spent. */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + (fields[4] ?? 0);
  return (fields.reduce((sum, f) => sum + f, 0) - idle) / 100;
}

export function loadAverage(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}
