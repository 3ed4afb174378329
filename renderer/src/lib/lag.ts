import type { SyncStatus } from '../../../shared/sync/status.js';
import { formatMs, formatSeconds } from './format.js';

/** The monitor's lag figures, over every target and mapping: the worst is what the user waits for. */
export interface LagFigures {
  /** Lag of the changes mirrored in the window; null when none was. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  /** Changes mirrored in the window (lag samples). */
  readonly samples: number;
  readonly windowMs: number;
  /** Age of the oldest change that still waits; null when none does or its age is unknown. */
  readonly oldestWaitingMs: number | null;
  /** Rows wait whose age is unknown (stamped before the engine started, or not stamped yet). */
  readonly waitingOfUnknownAge: boolean;
}

export function lagFigures(status: SyncStatus): LagFigures {
  let p50Ms: number | null = null;
  let p99Ms: number | null = null;
  let samples = 0;
  let windowMs = 0;
  let oldestWaitingMs: number | null = null;
  let waitingOfUnknownAge = false;
  for (const target of status.targets) {
    for (const m of target.mappings) {
      if (m.lag.p50Ms !== null) p50Ms = Math.max(p50Ms ?? 0, m.lag.p50Ms);
      if (m.lag.p99Ms !== null) p99Ms = Math.max(p99Ms ?? 0, m.lag.p99Ms);
      samples += m.lag.samples;
      windowMs = Math.max(windowMs, m.lag.windowMs);
      if (m.oldestWaitingMs !== null) oldestWaitingMs = Math.max(oldestWaitingMs ?? 0, m.oldestWaitingMs);
      else if (m.backlogRows > 0 || m.pendingSequencerRows > 0) waitingOfUnknownAge = true;
    }
  }
  return { p50Ms, p99Ms, samples, windowMs, oldestWaitingMs, waitingOfUnknownAge };
}

/** A lag percentile, or what its absence means: nothing was mirrored in the window (not "zero", not "—"). */
export function lagValue(ms: number | null, samples: number): string {
  return samples === 0 || ms === null ? 'no changes' : formatMs(ms);
}

export function lagWindowHint(figures: LagFigures): string {
  const window = formatSeconds(figures.windowMs / 1000).replace(/\.0 s$/, ' s');
  if (figures.samples === 0) return `no changes mirrored in the last ${window}`;
  return `change to mirror, ${figures.samples} ${figures.samples === 1 ? 'change' : 'changes'} in the last ${window}`;
}

/** The age of the backlog, a figure of its own: how long the oldest waiting change has waited so far. */
export function waitingValue(figures: LagFigures): string {
  if (figures.oldestWaitingMs !== null) return formatMs(figures.oldestWaitingMs);
  return figures.waitingOfUnknownAge ? 'unknown' : 'nothing waits';
}
