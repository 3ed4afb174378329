import { backlogTotal, type SyncStatus } from '../../sync/index.js';

export interface TargetSummary {
  readonly id: string;
  /** The target's state, except `error` while the source or the target fails (never `ok` then). */
  readonly state: string;
  readonly rowsApplied: number;
  readonly rowsPerSec: number;
  /** Another sync process is applying some mapping's pages here (this one follows its checkpoint). */
  readonly anotherProcessApplies: boolean;
  /** Rows counted above the checkpoints: a lower bound when backlogAtLeast (a count stopped at its limit). */
  readonly backlogRows: number;
  readonly backlogAtLeast: boolean;
  /** Seconds to drain the backlog; when backlogAtLeast, from its upper bound (the ids span): no more than this. */
  readonly etaSeconds: number | null;
  readonly lagP50Ms: number | null;
  readonly lagP99Ms: number | null;
  readonly lastError: string | null;
}

/** One line's worth per target, summed over mappings and scopes. */
export function summarize(status: SyncStatus): TargetSummary[] {
  const sourceError = status.source.lastError;
  return status.targets.map((target) => {
    const sum = (pick: (m: (typeof target.mappings)[number]) => number) =>
      target.mappings.reduce((total, m) => total + pick(m), 0);
    const rowsPerSec = sum((m) => m.rowsPerSec);
    const backlog = backlogTotal(target.mappings);
    const lags = target.mappings.filter((m) => m.lag.samples > 0);
    const worst = (pick: (m: (typeof lags)[number]) => number | null) =>
      lags.length === 0 ? null : Math.max(...lags.map((m) => pick(m) ?? 0));
    return {
      id: target.id,
      state: sourceError || target.lastError ? 'error' : target.state,
      rowsApplied: sum((m) => m.rowsApplied),
      rowsPerSec,
      anotherProcessApplies: target.mappings.some((m) => m.appliedByAnotherProcess),
      backlogRows: backlog.rows,
      backlogAtLeast: backlog.atLeast,
      etaSeconds: backlog.rows > 0 && rowsPerSec > 0 ? Math.ceil(backlog.atMost / rowsPerSec) : null,
      lagP50Ms: worst((m) => m.lag.p50Ms),
      lagP99Ms: worst((m) => m.lag.p99Ms),
      lastError: target.lastError ?? (sourceError ? `source: ${sourceError}` : null),
    };
  });
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

function eta(summary: TargetSummary): string {
  if (summary.etaSeconds === null) return '';
  return ` (ETA ${summary.backlogAtLeast ? 'at most ' : ''}${summary.etaSeconds}s)`;
}

export function progressLine(summary: TargetSummary): string {
  const parts = [
    `${summary.id}: ${count(summary.rowsApplied)} rows applied`,
    `${count(summary.rowsPerSec)} rows/s${summary.anotherProcessApplies ? ' (another sync process is applying pages here)' : ''}`,
    `backlog ${summary.backlogAtLeast ? 'at least ' : ''}${count(summary.backlogRows)} rows${eta(summary)}`,
  ];
  if (summary.lagP50Ms !== null) parts.push(`lag p50 ${summary.lagP50Ms} ms · p99 ${summary.lagP99Ms} ms`);
  parts.push(summary.state === 'error' ? `error: ${summary.lastError ?? ''} (retrying)` : summary.state);
  return parts.join(' · ');
}
