import { DELETED_ROW_TABLE, type SyncEvent, type SyncMapping } from '../../../shared/sync/index.js';
import { LagWindow, RollingRate, type StampLog } from '../metrics.js';
import type { HeldElsewhere, PageOutcome, TargetApplier } from './applier.js';
import type { FreshSource } from './fresh.js';

/** What the engine knows about one (scope, mapping) on one target. */
export interface ScopeProgress {
  checkpoint: number;
  /** Highest sequence id this engine has applied (≥ checkpoint; the gap is re-checked once the watermark allows). */
  cursor: number;
  rowsApplied: number;
  readonly rate: RollingRate;
  readonly lag: LagWindow;
  lagCursor: number;
  lastError: string | null;
  updatedAt: number | null;
  /**
   * Another worker (another engine on this target) held the progress row when this one last tried, and this is
   * the row as it last saw it change (its writing transaction, and since when it has carried it).
   */
  heldElsewhere: { readonly rowXid: string; readonly since: number } | null;
}

export function newScopeProgress(lagWindowMs?: number): ScopeProgress {
  return {
    checkpoint: -1,
    cursor: -1,
    rowsApplied: 0,
    rate: new RollingRate(),
    lag: new LagWindow(lagWindowMs),
    lagCursor: -1,
    lastError: null,
    updatedAt: null,
    heldElsewhere: null,
  };
}

/** Pages one mapping may apply before the scope yields its turn (a busy tenancy cannot starve the others). */
const PAGES_PER_TURN = 16;

/**
 * While another worker holds a mapping and its progress row keeps changing, this one only watches the row (and takes
 * the checkpoint from it) instead of trying to lock it: each try that slipped in between two of the other's pages
 * took the mapping over for a page and threw away the page the other had read ahead, and two processes on one mass
 * update ran at 0.45–0.67× the speed of one (bench:sync's scale-out, 100,000 users). Once the row has not changed
 * for this long (the other finished, or stopped), it tries again.
 */
const HELD_QUIET_MS = 250;

export interface MappingRun {
  readonly applier: TargetApplier;
  readonly targetId: string;
  readonly scope: string;
  readonly mapping: SyncMapping;
  readonly progress: ScopeProgress;
  /** The mapping's highest source id when probed (sizes pages). */
  readonly head: number;
  readonly stamps: StampLog;
  readonly emit: (event: SyncEvent) => void;
  /** False when the mapping is only here for rows named by notifications (no page to fetch). */
  readonly pages: boolean;
  /** Rows named by change notifications for this (scope, mapping), applied with the pages. */
  readonly fresh: FreshSource & { readonly pending: boolean };
}

/**
 * Apply pages until the mapping has nothing new and its checkpoint has settled as far as the watermark allows;
 * true when the page budget ran out (or another worker holds the mapping) and the scope should come back.
 */
export async function syncMappingPages(run: MappingRun): Promise<boolean> {
  const { applier, scope, mapping, progress: p } = run;
  if (p.heldElsewhere && Date.now() - p.heldElsewhere.since < HELD_QUIET_MS) {
    applier.dropPrefetch();
    adoptHeld(p, await applier.observe(scope, mapping));
    return true;
  }
  let pages = 0;
  let turnRanOut = false;
  try {
    for (; run.pages && pages < PAGES_PER_TURN; pages++) {
      const outcome = await applier.applyPage(scope, mapping, p.cursor, run.head, run.fresh);
      if (outcome.held) {
        adoptHeld(p, outcome.held);
        return true;
      }
      p.heldElsewhere = null;
      record(run, outcome);
      const settled = outcome.checkpoint > outcome.checkpointBefore && p.checkpoint < p.cursor;
      if (!outcome.full && !settled) break;
      // Rows named while the page merged: in the mirror now, not after the next page.
      if (run.fresh.pending && !(await applyFresh(run))) return true;
    }
    turnRanOut = pages >= PAGES_PER_TURN;
  } finally {
    // A turn that ran out keeps its page read ahead for the next turn, which comes straight back here unless other
    // work is waiting (the runner then drops it: an open transaction must not linger).
    if (!turnRanOut) applier.dropPrefetch();
  }
  // Rows named after the last page's commit, or with no page to ride along: on their own.
  if (run.fresh.pending && !(await applyFresh(run))) return true;
  return pages >= PAGES_PER_TURN;
}

/**
 * What another worker committed is in the mirror: its checkpoint is this engine's too (as after a reconnect), so a
 * caught-up mapping reads as caught up here without a page of its own.
 */
function adoptHeld(p: ScopeProgress, held: HeldElsewhere): void {
  p.checkpoint = Math.max(p.checkpoint, held.checkpoint);
  p.cursor = Math.max(p.cursor, held.checkpoint);
  p.lagCursor = Math.max(p.lagCursor, held.checkpoint);
  if (p.heldElsewhere?.rowXid !== held.rowXid) p.heldElsewhere = { rowXid: held.rowXid, since: Date.now() };
}

/** Rows named by notifications, on their own; false when another worker holds the mapping. */
async function applyFresh(run: MappingRun): Promise<boolean> {
  const upserted = await run.applier.applyFresh(run.scope, run.mapping, run.fresh);
  if (upserted === null) return false;
  run.progress.rowsApplied += upserted;
  if (upserted > 0) run.progress.rate.add(upserted);
  return true;
}

function record(run: MappingRun, outcome: PageOutcome): void {
  const p = run.progress;
  const applied = outcome.upserted + outcome.deleted;
  p.checkpoint = outcome.checkpoint;
  p.cursor = Math.max(p.cursor, outcome.pageMax ?? outcome.from, outcome.checkpoint);
  p.rowsApplied += applied;
  p.updatedAt = outcome.committedAt;
  if (applied > 0) p.rate.add(applied, outcome.committedAt);
  recordLag(run, outcome.pageMax, outcome.checkpoint, outcome.committedAt);
  if (outcome.rows > 0 || outcome.checkpoint !== outcome.checkpointBefore) {
    run.emit({
      type: 'batch',
      at: outcome.committedAt,
      target: run.targetId,
      mapping: run.mapping.name,
      scope: run.scope,
      rows: outcome.rows,
      upserted: outcome.upserted,
      deleted: outcome.deleted,
      ms: Math.round(outcome.ms * 10) / 10,
      lastSyncedSequenceId: outcome.checkpoint,
    });
  }
}

/**
 * One lag sample per sequencer tick whose ids this page applied for the first time. A tick stamps every table at
 * once, so its ids interleave mappings: once the checkpoint has passed a tick, none of its rows can still arrive
 * for this mapping, and it is never sampled again (otherwise a later change would resample an old tick, and an
 * idle minute would read as a minute of lag).
 */
function recordLag(run: MappingRun, pageMax: number | null, checkpoint: number, committedAt: number): void {
  const p = run.progress;
  if (pageMax !== null && pageMax > p.lagCursor) {
    const tables = [run.mapping.source.table, DELETED_ROW_TABLE];
    for (const changedAt of run.stamps.changesIn(p.lagCursor, pageMax, tables)) {
      const ms = Math.max(0, committedAt - changedAt);
      p.lag.add(ms, committedAt);
      run.emit({ type: 'lag', at: committedAt, target: run.targetId, mapping: run.mapping.name, ms });
    }
  }
  p.lagCursor = Math.max(p.lagCursor, pageMax ?? -1, checkpoint);
}
