import type pg from 'pg';
import type { QueueStatus, SequencerTableStats, SyncEvent } from '../../shared/sync/index.js';
import type { Fusebox } from './fusebox.js';
import type { SourceShape } from './source/inspect.js';
import { QUEUE_STATS_SQL } from './source/queue-sql.js';
import { backlogNow, type ScopeMappingStats, scopeStats, sequencerStats } from './source/stats.js';
import type { TargetRunner } from './target/runner.js';

export interface SequencerStatsSnapshot {
  readonly tables: Record<string, SequencerTableStats>;
  readonly deletedByTable: (SequencerTableStats & { tableName: string })[];
}

export interface MonitorDeps {
  readonly pool: () => pg.Pool;
  readonly shape: () => SourceShape;
  readonly scopes: () => readonly string[];
  readonly runners: () => readonly TargetRunner[];
  /** Called with every tenancy of the source when no explicit list was given. */
  readonly discoverTenancy: ((tenancyId: string) => void) | null;
  readonly staleClaimMs: number;
  readonly fusebox: Fusebox;
  readonly emit: (event: SyncEvent) => void;
  readonly reclaimed: () => number;
  /** A target is connecting for the first time or filling empty mirror tables from a first snapshot. */
  readonly awaitsFirstSnapshot: () => boolean;
}

/**
 * How long background work on the source may wait for a first snapshot in progress before it runs anyway: the
 * statistics' per-table totals, and the sequencer while it sweeps a backlog (docs/sync.md, "First sync into an
 * empty table"). A sequencer with no backlog still ticks every SNAPSHOT_TICK_MS.
 */
export const SNAPSHOT_YIELD_MS = 60_000;

/** During a first snapshot, how often a sequencer without a backlog still stamps what was flagged meanwhile. */
export const SNAPSHOT_TICK_MS = 5000;

/**
 * How long the per-table totals may wait for a backlog being worked off (a mass update, a target catching up).
 * They scan whole tables (0.8 s of a core at 300,000 users, more than 1.5 s at a million); one that ran beside a
 * mass update's pages held every change made meanwhile back for that long (on 2 cores: p50 34 ms that second,
 * against 8–19 in the others; at a million users, with 30 s here, 41–163 ms for four seconds in the middle of a
 * 40-second mass update). So the totals are at most a minute old while a backlog lasts.
 */
export const BACKLOG_YIELD_MS = 60_000;

/**
 * How much of the source's time the statistics may take. Per-table totals scan whole tables and backlog counts
 * walk the backlog: at a million users a refresh every second would take a good part of a core away from the
 * sync itself (and the share would grow with the table). Each kind of statistic therefore waits at least this
 * many times its own last duration before it runs again.
 */
const TABLE_STATS_COST_FACTOR = 20;
const SCOPE_STATS_COST_FACTOR = 10;

/**
 * The status snapshot's source-side numbers, refreshed on an interval, and the sweep: every scope a target is
 * behind on is queued for it, so progress never depends on a queue request alone (another poller may take ours).
 */
export class SourceMonitor {
  sequencerTables: SequencerStatsSnapshot | null = null;
  queue: QueueStatus | null = null;
  readonly scopeStats = new Map<string, Map<string, ScopeMappingStats>>();
  private nextTableStatsAt = 0;
  private nextScopeStatsAt = 0;
  private readonly lastBacklog = new Map<string, string>();
  private lastTableRoundAt = Date.now();

  constructor(private readonly deps: MonitorDeps) {}

  async refresh(intervalMs: number): Promise<void> {
    const pool = this.deps.pool();
    const shape = this.deps.shape();
    if (this.deps.discoverTenancy) {
      const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "Tenancy"`);
      for (const row of rows) this.deps.discoverTenancy(row.id);
    }
    // The per-table totals scan whole tables: while the sync works off a first snapshot or a backlog they take CPU
    // it needs, so they wait for it (up to SNAPSHOT_YIELD_MS, or BACKLOG_YIELD_MS between two rounds). The backlog
    // counts below do not wait: they are what says how many rows are still to come.
    const yieldMs = this.deps.awaitsFirstSnapshot()
      ? SNAPSHOT_YIELD_MS
      : this.deps.runners().some((r) => r.workingOffBacklog)
        ? BACKLOG_YIELD_MS
        : 0;
    const tablesDue = Date.now() - this.lastTableRoundAt >= yieldMs;
    const started = performance.now();
    const tableRound = tablesDue && Date.now() >= this.nextTableStatsAt;
    if (tableRound) this.lastTableRoundAt = Date.now();
    const [tables, queue] = await Promise.all([
      tableRound
        ? sequencerStats(pool, shape.sequencedTables).then((stats) => {
            const ms = performance.now() - started;
            this.nextTableStatsAt = Date.now() + Math.max(5 * intervalMs, TABLE_STATS_COST_FACTOR * ms);
            return stats;
          })
        : this.sequencerTables,
      shape.hasQueue ? pool.query(QUEUE_STATS_SQL, [this.deps.staleClaimMs]) : null,
    ]);
    this.sequencerTables = tables;
    const q = queue?.rows[0];
    this.queue = q
      ? {
          total: q.total,
          pending: q.pending,
          inFlight: q.in_flight,
          stale: q.stale,
          oldestCreatedAtMillis: q.oldest,
          newestCreatedAtMillis: q.newest,
          oldestPendingAgeMs: q.oldest_pending_age,
          reclaimed: this.deps.reclaimed(),
        }
      : null;
    if (Date.now() < this.nextScopeStatsAt) return;
    const scopesStarted = performance.now();
    for (const scope of this.deps.scopes()) await this.refreshScope(pool, shape, scope);
    const ms = performance.now() - scopesStarted;
    this.nextScopeStatsAt = Date.now() + Math.max(0, SCOPE_STATS_COST_FACTOR * ms - intervalMs);
  }

  private async refreshScope(pool: pg.Pool, shape: SourceShape, scope: string): Promise<void> {
    const runners = this.deps.runners();
    // A target that is connecting has not loaded its checkpoints yet: counted from -1, an up-to-date mirror would
    // show every row of the source as its backlog. Wait for them (a target that failed is counted as before).
    if (runners.some((r) => r.state === 'starting' && !r.isPrepared(scope))) return;
    const checkpoints = new Map(
      shape.mappings.map((m) => [m.name, runners.map((r) => r.scopeProgress(scope).get(m.name)!.checkpoint)]),
    );
    const known = this.scopeStats.get(scope);
    const stats = await scopeStats(pool, shape.mappings, scope, checkpoints, (m) => known?.get(m)?.min);
    this.scopeStats.set(scope, stats);
    runners.forEach((runner, index) => {
      for (const [mapping, s] of stats) {
        const progress = runner.scopeProgress(scope).get(mapping)!;
        const { rows, atLeast: rowsAtLeast } = backlogNow(s, index, progress.checkpoint);
        const ids = Math.max(0, (s.max ?? -1) - progress.checkpoint);
        const rowsPerSec = Math.round(progress.rate.perSecond() * 10) / 10;
        const key = `${runner.spec.id}\u0000${scope}\u0000${mapping}`;
        const figures = `${rows}${rowsAtLeast ? '+' : ''}/${ids}/${rowsPerSec}`;
        if (this.lastBacklog.get(key) !== figures) {
          this.lastBacklog.set(key, figures);
          const at = Date.now();
          this.deps.emit({
            type: 'backlog',
            at,
            target: runner.spec.id,
            mapping,
            scope,
            rows,
            rowsAtLeast,
            ids,
            rowsPerSec,
          });
        }
        if (this.deps.fusebox.poller && s.max !== null && s.max > progress.cursor) runner.enqueue(scope);
      }
    });
  }
}
