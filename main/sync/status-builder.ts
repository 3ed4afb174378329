import type { MappingProgress, SyncStatus, TargetStatus } from '../../shared/sync/index.js';
import type { DatabaseSource } from './database-source.js';
import type { Fusebox } from './fusebox.js';
import type { StampLog } from './metrics.js';
import { redactUrl } from './pg.js';
import { backlogNow } from './source/stats.js';
import type { TargetRunner } from './target/runner.js';

/**
 * A mapping counts as applied by another process while that process's commits to its progress row are at most this
 * old (a working process commits a page every few tens of milliseconds; one that stopped or finished goes quiet).
 */
const ANOTHER_PROCESS_RECENT_MS = 5000;

/** Per-target rows of the snapshot, from the runner's in-memory progress and the source's latest stats. */
export function targetStatus(
  runner: TargetRunner,
  index: number,
  scopes: readonly string[],
  mappingNames: readonly string[],
  stats: DatabaseSource['monitor']['scopeStats'] | null,
  stamps: StampLog | null = null,
): TargetStatus {
  const now = Date.now();
  const mappings: MappingProgress[] = [];
  for (const scope of scopes) {
    const progress = runner.scopeProgress(scope);
    for (const mapping of mappingNames) {
      const p = progress.get(mapping);
      if (!p) continue;
      const s = stats?.get(scope)?.get(mapping);
      const max = s?.max ?? null;
      const backlog = backlogNow(s, index, p.checkpoint);
      const backlogRows = backlog.rows;
      const waitingSince =
        backlogRows > 0 && stamps ? stamps.oldestAbove(p.checkpoint, max ?? Number.MAX_SAFE_INTEGER) : null;
      mappings.push({
        mapping,
        scope,
        internalMinSequenceId: s?.min ?? null,
        internalMaxSequenceId: max,
        lastSyncedSequenceId: p.checkpoint,
        backlogIds: max === null ? 0 : Math.max(0, max - p.checkpoint),
        backlogRows,
        backlogRowsAtLeast: backlog.atLeast,
        oldestWaitingMs: waitingSince === null ? null : Math.max(0, now - waitingSince),
        pendingSequencerRows: s?.pendingSequencer ?? 0,
        rowsApplied: p.rowsApplied,
        rowsPerSec: Math.round(p.rate.perSecond(now) * 10) / 10,
        appliedByAnotherProcess:
          p.heldElsewhere !== null && now - p.heldElsewhere.since <= ANOTHER_PROCESS_RECENT_MS,
        lag: p.lag.summary(now),
        lastError: p.lastError,
        updatedAtMillis: p.updatedAt,
      });
    }
  }
  return {
    id: runner.spec.id,
    connection: redactUrl(runner.spec.url),
    schema: runner.spec.schema,
    state: runner.state,
    lastError: runner.lastError,
    consecutiveFailures: runner.consecutiveFailures,
    nextRetryAtMillis: runner.nextRetryAt,
    pendingScopes: runner.pendingScopes,
    mappings,
  };
}

export function databaseStatus(
  source: DatabaseSource,
  url: string,
  fusebox: Fusebox,
  state: SyncStatus['state'],
): SyncStatus {
  const mappingNames = source.mappings.map((m) => m.name);
  return {
    generatedAtMillis: Date.now(),
    state,
    source: {
      kind: 'database',
      connection: redactUrl(url),
      changeCapture: source.shape.changeCapture,
      mappings: mappingNames,
      skippedMappings: [...source.shape.skipped],
      scopes: [...source.scopes],
      watermark: source.tracker.current(),
      notes: [...source.shape.notes],
      lastError: source.lastError,
    },
    fusebox: fusebox.snapshot(),
    sequencer: source.monitor.sequencerTables
      ? {
          tables: source.monitor.sequencerTables.tables,
          deletedRowsByTable: source.monitor.sequencerTables.deletedByTable,
          ticks: source.counters.ticks,
          rowsStamped: source.counters.rowsStamped,
          lastTickAtMillis: source.counters.lastTickAt,
        }
      : null,
    queue: source.monitor.queue ? { ...source.monitor.queue, reclaimed: source.reclaimed } : null,
    api: null,
    targets: source.runners.map((runner, i) =>
      targetStatus(runner, i, source.scopes, mappingNames, source.monitor.scopeStats, source.stamps),
    ),
  };
}
