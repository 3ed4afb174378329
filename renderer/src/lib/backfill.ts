import { backlogTotal } from '../../../shared/sync/backlog.js';
import type { SyncStatus } from '../../../shared/sync/status.js';

export interface BackfillProgress {
  /** Rows applied to the mirror since the engine started. */
  readonly applied: number;
  /** Rows above the checkpoints plus rows still waiting for the sequencer; a lower bound when remainingAtLeast. */
  readonly remaining: number;
  /**
   * A backlog count stopped at its limit: at least `remaining` rows wait. The fraction and the ETA then use the
   * upper bound (the sequence-id span), so the bar never runs ahead and the ETA is a "no more than".
   */
  readonly remainingAtLeast: boolean;
  /** Of those, rows the sequencer has not stamped yet. */
  readonly unsequenced: number;
  /** applied / (applied + remaining at most), 1 when nothing remains. */
  readonly fraction: number;
  readonly rowsPerSec: number;
  readonly etaSeconds: number | null;
  readonly phase: 'caught-up' | 'running' | 'paused' | 'waiting';
}

/**
 * Progress of the copy into the mirror, from the status snapshot alone. Rows waiting for the sequencer belong to
 * the source table, not to a target, so they count once per mapping however many targets there are.
 */
export function backfillProgress(status: SyncStatus): BackfillProgress {
  let applied = 0;
  let rowsPerSec = 0;
  const mappings = status.targets.flatMap((t) => t.mappings);
  const backlog = backlogTotal(mappings);
  const waitingForSequencer = new Map<string, number>();
  for (const mapping of mappings) {
    applied += mapping.rowsApplied;
    rowsPerSec += mapping.rowsPerSec;
    const key = `${mapping.mapping}\u0000${mapping.scope}`;
    waitingForSequencer.set(key, Math.max(waitingForSequencer.get(key) ?? 0, mapping.pendingSequencerRows));
  }
  let unsequenced = 0;
  for (const rows of waitingForSequencer.values()) unsequenced += rows;
  const remaining = backlog.rows + unsequenced;
  const remainingAtMost = backlog.atMost + unsequenced;
  const fraction = remaining === 0 ? 1 : applied / (applied + remainingAtMost);
  const phase =
    remaining === 0
      ? 'caught-up'
      : !status.fusebox.workers
        ? 'paused'
        : rowsPerSec > 0
          ? 'running'
          : 'waiting';
  const etaSeconds = phase === 'running' ? remainingAtMost / rowsPerSec : null;
  const remainingAtLeast = backlog.atLeast;
  return { applied, remaining, remainingAtLeast, unsequenced, fraction, rowsPerSec, etaSeconds, phase };
}
