import type pg from 'pg';
import { INTERNAL_CHANGE_CHANNEL } from '../../shared/internal-db.js';
import type { QueueStatus, SequencerTableStats, SyncEvent, SyncMapping } from '../../shared/sync/index.js';
import type { Fusebox } from './fusebox.js';
import { StampLog } from './metrics.js';
import type { ResolvedTuning } from './options.js';
import {
  ASYNC_COMMIT,
  describeError,
  FETCH_SESSION,
  openClient,
  openPool,
  quoteIdent,
  SyncConfigurationError,
} from './pg.js';
import { inspectSource, type SourceShape } from './source/inspect.js';
import { CLAIM_SQL, COMPLETE_SQL, QUEUE_STATS_SQL, RECLAIM_SQL } from './source/queue-sql.js';
import { Sequencer } from './source/sequencer.js';
import { type ScopeMappingStats, scopeHeads, scopeStats, sequencerStats } from './source/stats.js';
import { WatermarkTracker } from './source/watermark.js';
import { TargetRunner, type TargetSpec } from './target/runner.js';

export interface SequencerStatsSnapshot {
  readonly tables: Record<string, SequencerTableStats>;
  readonly deletedByTable: (SequencerTableStats & { tableName: string })[];
}

export interface DatabaseSourceDeps {
  readonly url: string;
  readonly targets: readonly TargetSpec[];
  readonly tenancyIds: readonly string[] | undefined;
  readonly tuning: ResolvedTuning;
  readonly fusebox: Fusebox;
  readonly emit: (event: SyncEvent) => void;
}

/**
 * The in-process pipeline over an internal database: sequencer → queue ("OutgoingRequest") → poller → one runner
 * per target. It wakes on NOTIFY from the change-capture triggers and polls every `pollIntervalMs` otherwise.
 */
export class DatabaseSource {
  shape!: SourceShape;
  scopes: string[] = [];
  runners: TargetRunner[] = [];
  tracker!: WatermarkTracker;
  lastError: string | null = null;
  readonly counters = { ticks: 0, rowsStamped: 0, lastTickAt: null as number | null, reclaimed: 0 };
  sequencerTables: SequencerStatsSnapshot | null = null;
  queue: QueueStatus | null = null;
  readonly scopeStats = new Map<string, Map<string, ScopeMappingStats>>();
  private readonly stamps = new StampLog();
  private clients: pg.Client[] = [];
  private control!: pg.Client;
  pool!: pg.Pool;
  private sequencer!: Sequencer;
  private notifiedAt: number | null = null;
  private kick: (() => void) | null = null;
  private stopped = false;
  private readonly stopController = new AbortController();
  private get stopSignal(): AbortSignal {
    return this.stopController.signal;
  }
  private loops: Promise<void>[] = [];
  private lastReclaimAt = 0;
  private controlQueue: Promise<unknown> = Promise.resolve();
  private monitorRounds = 0;
  private readonly lastBacklog = new Map<string, string>();

  constructor(private readonly deps: DatabaseSourceDeps) {}

  get mappings(): readonly SyncMapping[] {
    return this.shape.mappings;
  }

  async start(): Promise<void> {
    const { url, tuning } = this.deps;
    try {
      await this.connectSession();
      this.scopes = this.resolveScopes();
      this.pool = openPool(url, 'fetch', this.deps.targets.length * tuning.lanes + 2, FETCH_SESSION);
      await this.tracker.observe();
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.runners = this.deps.targets.map(
      (spec) =>
        new TargetRunner(spec, {
          mappings: this.shape.mappings,
          sourcePool: this.pool,
          watermark: async () => (await this.tracker.observe()).safe,
          knownWatermark: () => this.tracker.current().safeSequenceId,
          heads: (scope) => scopeHeads(this.pool, this.shape.mappings, scope),
          stamps: this.stamps,
          emit: this.deps.emit,
          workersEnabled: () => this.deps.fusebox.workers,
          pageRows: tuning.pageRows,
          bulkPageRows: tuning.bulkPageRows,
          sequenceIncrement: this.shape.sequenceIncrement,
          lanes: tuning.lanes,
          retry: { initialMs: tuning.retryInitialMs, maxMs: tuning.retryMaxMs },
        }),
    );
    for (const runner of this.runners) {
      runner.start();
      for (const scope of this.scopes) runner.enqueue(scope);
    }
    this.loops = [this.pipelineLoop(), this.monitorLoop()];
  }

  /**
   * The three dedicated source connections: control (sequencer and queue), watermark observations, and LISTEN.
   * After a source outage they are all replaced; the watermark's bookkeeping carries over (still sound: it only
   * needs observations of the same server, however far apart).
   */
  private async connectSession(): Promise<void> {
    const { url, tuning } = this.deps;
    await Promise.allSettled(this.clients.map((c) => c.end()));
    this.clients = [];
    // The control session commits its queue claims asynchronously; the sequencer's ticks switch it back on.
    const opened = await Promise.allSettled(
      ['control', 'watermark', 'listen'].map((role) =>
        openClient(url, role, role === 'control' ? ASYNC_COMMIT : ''),
      ),
    );
    const clients = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failure = opened.find((o) => o.status === 'rejected');
    if (failure) {
      await Promise.allSettled(clients.map((c) => c.end()));
      throw failure.reason;
    }
    const [control, watermarkClient, listen] = clients as [pg.Client, pg.Client, pg.Client];
    this.clients = clients;
    this.control = control;
    this.shape ??= await inspectSource(control);
    if (this.tracker) this.tracker.setClient(watermarkClient);
    else {
      this.tracker = new WatermarkTracker(watermarkClient, (reading) => {
        this.deps.emit({
          type: 'watermark',
          at: Date.now(),
          safe: reading.safe,
          head: reading.head,
          holders: reading.holders,
        });
        for (const runner of this.runners) runner.onWatermark(reading.safe);
      });
    }
    this.sequencer = new Sequencer(
      control,
      this.shape.sequencedTables,
      tuning.sequencerBatchSize,
      this.shape.hasQueue,
    );
    listen.on('notification', () => {
      this.notifiedAt ??= Date.now();
      this.kick?.();
    });
    await listen.query(`LISTEN ${quoteIdent(INTERNAL_CHANGE_CHANNEL)}`);
  }

  private resolveScopes(): string[] {
    const known = this.shape.tenancies;
    if (!this.deps.tenancyIds) return known.map((t) => t.id);
    const unknown = this.deps.tenancyIds.filter((id) => !known.some((t) => t.id === id.toLowerCase()));
    if (unknown.length > 0) {
      const list = known.map((t) => `${t.id} (project ${t.projectId}, branch ${t.branchId})`).join('; ');
      throw new SyncConfigurationError(
        `No tenancy ${unknown.join(', ')} in the source database. Tenancies: ${list || 'none'}.`,
      );
    }
    return this.deps.tenancyIds.map((id) => id.toLowerCase());
  }

  /** Wake the pipeline now (a change is known to be waiting). */
  nudge(): void {
    this.kick?.();
  }

  /** Run the sequencer until no flagged row is left (used by syncNow). */
  async drainSequencer(): Promise<void> {
    if (!this.deps.fusebox.sequencer) return;
    for (;;) {
      const tick = await this.exclusive(() => this.tick(Date.now()));
      if (!tick) return;
    }
  }

  /** The control connection runs one thing at a time (the loop's tick, or syncNow's drain). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.controlQueue.then(fn, fn);
    this.controlQueue = run.catch(() => undefined);
    return run;
  }

  private async tick(changedAt: number): Promise<boolean> {
    const started = performance.now();
    const result = await this.sequencer.tick();
    this.counters.ticks++;
    this.counters.lastTickAt = Date.now();
    if (result.rows > 0) {
      this.counters.rowsStamped += result.rows;
      this.stamps.record(result.minSequenceId!, result.maxSequenceId!, changedAt);
      this.deps.emit({
        type: 'sequencer',
        at: Date.now(),
        rows: result.rows,
        tenancies: result.tenancies.length,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
      if (!this.shape.hasQueue) this.dispatch(result.tenancies);
    }
    return result.more;
  }

  private dispatch(tenancies: readonly string[]): void {
    for (const tenancy of tenancies) {
      if (!this.inScope(tenancy)) continue;
      for (const runner of this.runners) runner.enqueue(tenancy);
    }
  }

  private inScope(tenancy: string): boolean {
    if (this.scopes.includes(tenancy)) return true;
    // Without an explicit list, tenancies created after start are mirrored too.
    if (this.deps.tenancyIds) return false;
    this.scopes.push(tenancy);
    return true;
  }

  private async poll(): Promise<void> {
    if (!this.shape.hasQueue) return;
    if (Date.now() - this.lastReclaimAt > Math.min(this.deps.tuning.staleClaimMs, 5000)) {
      this.lastReclaimAt = Date.now();
      const { rows } = await this.control.query<{ reclaimed: number }>(RECLAIM_SQL, [
        this.deps.tuning.staleClaimMs,
      ]);
      this.counters.reclaimed += rows[0]?.reclaimed ?? 0;
    }
    const claimed = await this.control.query<{ id: string; tenancy_id: string | null }>(CLAIM_SQL, [1000]);
    if (claimed.rows.length === 0) return;
    this.dispatch(claimed.rows.flatMap((r) => (r.tenancy_id ? [r.tenancy_id] : [])));
    await this.control.query(COMPLETE_SQL, [claimed.rows.map((r) => r.id)]);
  }

  private async pipelineLoop(): Promise<void> {
    let previousTickAt = Date.now();
    while (!this.stopped) {
      const startedAt = Date.now();
      const changedAt = this.notifiedAt ?? previousTickAt;
      this.notifiedAt = null;
      let more = false;
      try {
        more = await this.exclusive(async () => {
          const again = this.deps.fusebox.sequencer ? await this.tick(changedAt) : false;
          if (this.deps.fusebox.poller) await this.poll();
          return again;
        });
        await this.tracker.observe();
        this.lastError = null;
      } catch (error) {
        await this.reportError('sequencer', error);
        await this.pause(1000, false);
        await this.connectSession().catch((e) => this.reportError('source', e));
        continue;
      }
      previousTickAt = startedAt;
      if (!more && this.notifiedAt === null) await this.pause(this.deps.tuning.pollIntervalMs);
    }
  }

  private async monitorLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.refreshStats();
      } catch (error) {
        await this.reportError('source', error);
      }
      await this.pause(this.deps.tuning.monitorIntervalMs, false);
    }
  }

  /** Stats for the status snapshot, and the sweep: any scope a target is behind on is queued for it. */
  async refreshStats(): Promise<void> {
    if (!this.deps.tenancyIds) {
      const { rows } = await this.pool.query<{ id: string }>(`SELECT "id" FROM "Tenancy"`);
      for (const row of rows) this.inScope(row.id);
    }
    // Per-table totals scan whole tables: refresh them every fifth round only.
    const fullRound = this.monitorRounds++ % 5 === 0;
    const [tables, queue] = await Promise.all([
      fullRound ? sequencerStats(this.pool, this.shape.sequencedTables) : this.sequencerTables,
      this.shape.hasQueue ? this.pool.query(QUEUE_STATS_SQL, [this.deps.tuning.staleClaimMs]) : null,
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
          reclaimed: this.counters.reclaimed,
        }
      : null;
    for (const scope of this.scopes) {
      const checkpoints = new Map(
        this.shape.mappings.map((m) => [
          m.name,
          this.runners.map((r) => r.scopeProgress(scope).get(m.name)!.checkpoint),
        ]),
      );
      const stats = await scopeStats(this.pool, this.shape.mappings, scope, checkpoints);
      this.scopeStats.set(scope, stats);
      this.runners.forEach((runner, index) => {
        for (const [mapping, s] of stats) {
          const progress = runner.scopeProgress(scope).get(mapping)!;
          const rows = s.backlogRows[index] ?? 0;
          const ids = Math.max(0, (s.max ?? -1) - progress.checkpoint);
          const key = `${runner.spec.id}\u0000${scope}\u0000${mapping}`;
          if (this.lastBacklog.get(key) !== `${rows}/${ids}`) {
            this.lastBacklog.set(key, `${rows}/${ids}`);
            this.deps.emit({
              type: 'backlog',
              at: Date.now(),
              target: runner.spec.id,
              mapping,
              scope,
              rows,
              ids,
            });
          }
          if (this.deps.fusebox.poller && s.max !== null && s.max > progress.cursor) runner.enqueue(scope);
        }
      });
    }
  }

  private async reportError(stage: 'sequencer' | 'source', error: unknown): Promise<void> {
    const message = describeError(error);
    this.lastError = message;
    this.deps.emit({ type: 'error', at: Date.now(), stage, target: null, message });
  }

  /** Sleep `ms`; a kick (NOTIFY, nudge) ends it early when `wakeable`, stop() always does. */
  private pause(ms: number, wakeable = true): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      const onStop = () => finish();
      this.stopSignal.addEventListener('abort', onStop, { once: true });
      const stopSignal = this.stopSignal;
      function finish() {
        clearTimeout(timer);
        stopSignal.removeEventListener('abort', onStop);
        resolve();
      }
      if (wakeable) this.kick = finish;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopController.abort();
    await Promise.all(this.runners.map((r) => r.stop()));
    await Promise.allSettled(this.loops);
    await Promise.allSettled(this.clients.map((c) => c.end()));
    await this.pool?.end().catch(() => {});
  }
}
