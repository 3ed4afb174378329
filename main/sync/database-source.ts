import type pg from 'pg';
import { INTERNAL_CHANGE_CHANNEL } from '../../shared/internal-db.js';
import type { SyncEvent, SyncMapping } from '../../shared/sync/index.js';
import type { Fusebox } from './fusebox.js';
import { StampLog } from './metrics.js';
import type { ResolvedTuning } from './options.js';
import {
  ASYNC_COMMIT,
  describeError,
  FETCH_SESSION,
  openClients,
  openPool,
  quoteIdent,
  SEQUENCER_SESSION,
} from './pg.js';
import { Sleeper } from './sleeper.js';
import { parseChangeNotice } from './source/change-notice.js';
import { inspectSource, resolveScopes, type SourceShape } from './source/inspect.js';
import { Poller } from './source/poller.js';
import { Sequencer } from './source/sequencer.js';
import { scopeHeads } from './source/stats.js';
import { WatermarkTracker } from './source/watermark.js';
import { SNAPSHOT_TICK_MS, SNAPSHOT_YIELD_MS, SourceMonitor } from './source-monitor.js';
import { StageClock } from './stage-clock.js';
import { openTargetSessions, TargetRunner, type TargetSpec } from './target/runner.js';

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
  readonly counters = { ticks: 0, rowsStamped: 0, lastTickAt: null as number | null };
  readonly monitor: SourceMonitor;
  readonly clock = new StageClock();
  /** Rows applied as of the last syncNow, per (target, scope, mapping): its summary counts what came since. */
  readonly reportedRows = new Map<string, number>();
  /** When the sequencer stamped which ids: lag samples and the age of what still waits. */
  readonly stamps = new StampLog();
  private clients: pg.Client[] = [];
  private control!: pg.Client;
  pool!: pg.Pool;
  private sequencer!: Sequencer;
  private notifiedAt: number | null = null;
  /**
   * When a notification last named no rows: a statement that flagged more than a handful (a mass update, a bulk
   * import), or a table whose notices carry no keys (tombstones of deletes, invitations). Until a tick that began
   * after it has looked, the sequencer may hold a backlog it does not know of yet, so rows named meanwhile take the
   * fast path rather than queue behind it. At worst (a single delete) a row named in that one tick is applied twice.
   */
  private bulkNoticeAt: number | null = null;
  private readonly stopping = new AbortController();
  /** The pipeline's sleep: NOTIFY and nudges end it early. */
  private readonly pipelineSleep = new Sleeper(this.stopping.signal);
  private readonly monitorSleep = new Sleeper(this.stopping.signal);
  private loops: Promise<void>[] = [];
  private readonly poller: Poller;
  /** When start() began: until the sequencer's first tick, what yieldsToSnapshot counts from. */
  private startedAt = Date.now();
  private controlQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: DatabaseSourceDeps) {
    this.poller = new Poller(deps.tuning.staleClaimMs);
    this.monitor = new SourceMonitor({
      pool: () => this.pool,
      shape: () => this.shape,
      scopes: () => this.scopes,
      runners: () => this.runners,
      discoverTenancy: deps.tenancyIds ? null : (id) => this.inScope(id),
      staleClaimMs: deps.tuning.staleClaimMs,
      fusebox: deps.fusebox,
      emit: deps.emit,
      reclaimed: () => this.poller.reclaimed,
      awaitsFirstSnapshot: () => this.runners.some((runner) => runner.awaitsFirstSnapshot),
    });
  }

  get reclaimed(): number {
    return this.poller.reclaimed;
  }

  get mappings(): readonly SyncMapping[] {
    return this.shape.mappings;
  }

  async start(): Promise<void> {
    const { url, tuning } = this.deps;
    this.startedAt = Date.now();
    // The targets' sessions open while the source is inspected: nothing in them depends on it (bench:sync, 2 cores:
    // the first snapshot's rows began to flow about 0.1 s sooner).
    const opening = this.deps.targets.map((spec) => openTargetSessions(spec, tuning.lanes));
    // A failure is the runner's to report (and retry) once it connects; the rejection must not go unhandled meanwhile.
    for (const sessions of opening) sessions.catch(() => {});
    try {
      await this.connectSession();
      this.scopes = resolveScopes(this.shape.tenancies, this.deps.tenancyIds);
      // Per lane: a page's fetch and the next page's prefetch (or a read of named rows), the side session's read of
      // named rows; plus the monitor's.
      this.pool = openPool(url, 'fetch', this.deps.targets.length * tuning.lanes * 3 + 2, FETCH_SESSION);
      await this.tracker.observe();
    } catch (error) {
      await Promise.allSettled(
        opening.map(async (sessions) => Promise.all((await sessions).map((c) => c.end()))),
      );
      await this.stop();
      throw error;
    }
    this.runners = this.deps.targets.map(
      (spec, index) =>
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
          heapSweeps: this.shape.heapSweeps,
          sequenceIncrement: this.shape.sequenceIncrement,
          lanes: tuning.lanes,
          lagWindowMs: tuning.lagWindowMs,
          retry: { initialMs: tuning.retryInitialMs, maxMs: tuning.retryMaxMs },
          clock: this.clock,
          sequencerBusy: () => this.sequencer.busy || this.bulkNoticeAt !== null,
          openingSessions: opening[index],
        }),
    );
    for (const runner of this.runners) {
      runner.start();
      for (const scope of this.scopes) runner.enqueue(scope);
    }
    this.loops = [this.pipelineLoop(), this.monitorLoop()];
    // A reachable target has its tables when start() resolves (readers may query at once); an unreachable one is
    // retried in the background and does not hold the start up for long.
    const started = Promise.all(this.runners.map((r) => r.firstAttempt()));
    // The sequencer holds back while a target connects; once it has, it may have nothing to wait for.
    started.then(() => this.nudge());
    await Promise.race([started, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  }

  /**
   * The dedicated source connections: control (sequencer and queue), further sequencer lanes (a backlog is swept by
   * all lanes at once), watermark observations, and LISTEN. After a source outage they are all replaced; the
   * watermark's bookkeeping carries over (still sound: it only needs observations of the same server, however far
   * apart).
   */
  private async connectSession(): Promise<void> {
    const { url, tuning } = this.deps;
    await Promise.allSettled(this.clients.map((c) => c.end()));
    this.clients = [];
    // The control session commits its queue claims asynchronously; the sequencer's ticks switch it back on.
    const lanes = Array.from({ length: tuning.sequencerLanes - 1 }, (_, i) => `sequencer-${i + 2}`);
    const roles = ['control', 'watermark', 'listen', ...lanes];
    const clients = await openClients(
      url,
      roles.map((role) => ({
        role,
        options:
          role === 'control' || role.startsWith('sequencer') ? `${ASYNC_COMMIT} ${SEQUENCER_SESSION}` : '',
      })),
    );
    const [control, watermarkClient, listen, ...sequencerLanes] = clients as pg.Client[];
    this.clients = clients;
    this.control = control!;
    this.shape ??= await inspectSource(control!);
    if (this.tracker) this.tracker.setClient(watermarkClient!);
    else {
      this.tracker = new WatermarkTracker(watermarkClient!, (reading) => {
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
      [control!, ...sequencerLanes],
      this.shape.sequencedTables,
      tuning.sequencerBatchSize,
      this.shape.canQueue,
      this.shape.heapSweeps,
    );
    listen!.on('notification', (message) => {
      const notice = parseChangeNotice(message.payload, this.shape.sequencedTables);
      // Rows stamped on write are handed to the targets below: the sequencer has nothing to stamp for them, and a
      // tick per notice (with its queue poll and watermark reading) would cost the source a query set per change.
      if (!notice?.sequenceIds) {
        this.notifiedAt ??= Date.now();
        this.pipelineSleep.wake();
      }
      if (!notice?.rows) this.bulkNoticeAt = performance.now();
      if (!notice || !this.inScope(notice.tenancyId)) return;
      if (notice.rows) {
        const { table, columns, keys } = notice.rows;
        for (const runner of this.runners) runner.fresh(notice.tenancyId, table, columns, keys);
      }
      // Stamped on write (the emulator, migration 0010): the rows are ready for the mirror now, no tick needed.
      if (notice.sequenceIds) {
        this.stamps.record(notice.sequenceIds[0], notice.sequenceIds[1], Date.now(), notice.table);
        this.dispatch([notice.tenancyId]);
      }
    });
    await listen!.query(`LISTEN ${quoteIdent(INTERNAL_CHANGE_CHANNEL)}`);
  }

  /** Wake the pipeline now (a change is known to be waiting). */
  nudge(): void {
    this.pipelineSleep.wake();
  }

  /** Run the sequencer until no flagged row is left (used by syncNow). */
  async drainSequencer(): Promise<void> {
    if (!this.deps.fusebox.sequencer || !this.shape.canStamp) return;
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
    if (this.bulkNoticeAt !== null && this.bulkNoticeAt < started) this.bulkNoticeAt = null;
    this.clock.add('sequencer', performance.now() - started, result.rows);
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
      if (!this.shape.canQueue) this.dispatch(result.tenancies);
    }
    return result.more;
  }

  /**
   * While a first snapshot is copied into an empty mirror table, or waits to be (a target is still connecting for
   * the first time, or a lane is busy with another table's), the sequencer holds back. The snapshot holds every
   * row, stamped or not, and every row stamped meanwhile comes through the pages again anyway (sequence id above
   * the snapshot's watermark), so stamping a large backlog beside it only took the CPU the copy needed. While the
   * sequencer sweeps a backlog it waits for the snapshot (up to SNAPSHOT_YIELD_MS between ticks): a change flagged
   * meanwhile would wait for the sweep to reach it either way. Without a backlog it ticks every SNAPSHOT_TICK_MS,
   * which is as long as a change flagged by a self-hosted backend then waits; changes stamped on write (the
   * emulator) never wait. bench:sync, 2 cores, a million users: verified after 61.3 s with no yield, 53.4–54.2 s
   * ticking every 5 s, 45.5 s waiting while sweeping.
   */
  private yieldsToSnapshot(): boolean {
    const last = this.counters.lastTickAt ?? this.startedAt;
    const limit = this.sequencer.busy ? SNAPSHOT_YIELD_MS : SNAPSHOT_TICK_MS;
    return Date.now() - last < limit && this.runners.some((runner) => runner.awaitsFirstSnapshot);
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

  private async pipelineLoop(): Promise<void> {
    let previousTickAt = Date.now();
    while (!this.stopping.signal.aborted) {
      const startedAt = Date.now();
      const changedAt = this.notifiedAt ?? previousTickAt;
      this.notifiedAt = null;
      let more = false;
      try {
        more = await this.exclusive(async () => {
          const stamp = this.deps.fusebox.sequencer && this.shape.canStamp && !this.yieldsToSnapshot();
          const again = stamp ? await this.tick(changedAt) : false;
          if (this.deps.fusebox.poller && this.shape.canQueue) {
            await this.poller.poll(this.control, (tenancies) => this.dispatch(tenancies));
          }
          return again;
        });
        await this.tracker.observe();
        this.lastError = null;
      } catch (error) {
        await this.reportError('sequencer', error);
        await this.pipelineSleep.sleep(1000, false);
        await this.connectSession().catch((e) => this.reportError('source', e));
        continue;
      }
      previousTickAt = startedAt;
      if (!more && this.notifiedAt === null) await this.pipelineSleep.sleep(this.deps.tuning.pollIntervalMs);
    }
  }

  private async monitorLoop(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        await this.clock.time('monitor', () => this.monitor.refresh(this.deps.tuning.monitorIntervalMs));
      } catch (error) {
        await this.reportError('source', error);
      }
      await this.monitorSleep.sleep(this.deps.tuning.monitorIntervalMs, false);
    }
  }

  private async reportError(stage: 'sequencer' | 'source', error: unknown): Promise<void> {
    const message = describeError(error);
    this.lastError = message;
    this.deps.emit({ type: 'error', at: Date.now(), stage, target: null, message });
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.runners.map((r) => r.stop()));
    await Promise.allSettled(this.loops);
    await Promise.allSettled(this.clients.map((c) => c.end()));
    await this.pool?.end().catch(() => {});
  }
}
