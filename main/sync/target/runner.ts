import type pg from 'pg';
import type { SyncEvent, SyncMapping, TARGET_STATES } from '../../../shared/sync/index.js';
import type { StampLog } from '../metrics.js';
import { describeError, openClients, redactUrl, SIDE_SESSION, TARGET_SESSION } from '../pg.js';
import { Sleeper } from '../sleeper.js';
import type { StageClock } from '../stage-clock.js';
import { SMALL_PAGE_ROWS, TargetApplier } from './applier.js';
import { type FreshKeys, type FreshSource, mergeFreshKeys } from './fresh.js';
import { newScopeProgress, type ScopeProgress, syncMappingPages } from './progress.js';
import { ensureTargetSchema } from './schema.js';

export interface TargetSpec {
  readonly id: string;
  readonly url: string;
  readonly schema: string;
}

export interface RunnerDeps {
  readonly mappings: readonly SyncMapping[];
  readonly sourcePool: pg.Pool;
  readonly watermark: () => Promise<number>;
  /** The last safe watermark observed (no new observation). */
  readonly knownWatermark: () => number;
  /** Each mapping's highest sequence id in the source for a scope (cheap index probes). */
  readonly heads: (scope: string) => Promise<Map<string, number>>;
  readonly stamps: StampLog;
  readonly emit: (event: SyncEvent) => void;
  readonly workersEnabled: () => boolean;
  readonly pageRows: number;
  readonly bulkPageRows: number;
  readonly heapSweeps: boolean;
  readonly sequenceIncrement: number;
  /** Target connections per target; mappings of a scope are spread over them. */
  readonly lanes: number;
  /** Span of the lag percentiles in the status. */
  readonly lagWindowMs: number;
  readonly retry: { readonly initialMs: number; readonly maxMs: number };
  readonly clock: StageClock;
  /** True while the sequencer works off a backlog (then changes named by notifications are worth a fast path). */
  readonly sequencerBusy: () => boolean;
  /** Sessions already being opened (openTargetSessions) for the first connection; later ones open their own. */
  readonly openingSessions?: Promise<pg.Client[]>;
}

/**
 * A target's sessions: three per lane. One merges a page while the next is staged in the second (prefetch.ts), and
 * the third applies rows named meanwhile beside the merging page (side.ts).
 */
export function openTargetSessions(spec: TargetSpec, lanes: number): Promise<pg.Client[]> {
  const role = `target:${spec.id}`;
  return openClients(
    spec.url,
    Array.from({ length: lanes }, () => [
      { role, options: TARGET_SESSION },
      { role, options: TARGET_SESSION },
      { role, options: SIDE_SESSION },
    ]).flat(),
  );
}

/** Keys named by notifications kept per (scope, mapping) at most; beyond that the ordinary path carries them. */
const MAX_FRESH_KEYS = 5000;
/** After a round in which every mapping was held by another worker, wait this long before trying again. */
const BUSY_BACKOFF_MS = 20;

export type { ScopeProgress } from './progress.js';

/**
 * One target's worker: its own connection, its own queue of scopes (tenancies) to bring up to date, its own
 * retry/backoff. Nothing one target does (or fails to do) waits on another.
 */
export class TargetRunner {
  state: (typeof TARGET_STATES)[number] = 'starting';
  lastError: string | null = null;
  consecutiveFailures = 0;
  nextRetryAt: number | null = null;
  /** Failures since the last reset by `markAttempt`, so a caller can wait for "caught up or failed". */
  failuresSinceMark = 0;
  readonly progress = new Map<string, Map<string, ScopeProgress>>();
  private readonly pending = new Set<string>();
  /** Rows named by change notifications, per scope and mapping, not yet applied. */
  private readonly freshKeys = new Map<string, FreshKeys>();
  /** Each scope's mapping heads at the last round, and the (scope, mapping)s a lane is working on now. */
  private readonly lastHeads = new Map<string, Map<string, number>>();
  private readonly active = new Set<string>();
  /** (scope, mapping)s that start from nothing: their first page runs even before the sequencer stamped a row. */
  private readonly firstPages = new Set<string>();
  private clients: pg.Client[] = [];
  private lanes: TargetApplier[] = [];
  private prepared = new Set<string>();
  /** The scope run() is working on (taken out of `pending`). */
  private inHand: string | null = null;
  private markAttempted: () => void = () => {};
  private readonly attempted = new Promise<void>((resolve) => {
    this.markAttempted = resolve;
  });
  private readonly stopping = new AbortController();
  private readonly sleeper = new Sleeper(this.stopping.signal);
  private loop: Promise<void> | null = null;
  private openingSessions: Promise<pg.Client[]> | null;

  constructor(
    readonly spec: TargetSpec,
    private readonly deps: RunnerDeps,
  ) {
    this.openingSessions = deps.openingSessions ?? null;
  }

  get connection(): string {
    return redactUrl(this.spec.url);
  }

  get pendingScopes(): number {
    return this.pending.size;
  }

  /** Connected, tables ensured and the scope's checkpoints loaded. */
  isPrepared(scope: string): boolean {
    return this.lanes.length > 0 && this.prepared.has(scope);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** One of its lanes is copying a first snapshot into an empty mirror table. */
  get copyingSnapshot(): boolean {
    return this.lanes.some((lane) => lane.copyingSnapshot);
  }

  /**
   * Still connecting or loading checkpoints for the first time, or a mirror table is still to be filled (or being
   * filled) from a first snapshot: the source's CPU is best left to that copy.
   */
  get awaitsFirstSnapshot(): boolean {
    return (
      (this.state === 'starting' && (this.lanes.length === 0 || this.unprepared())) ||
      this.firstPages.size > 0 ||
      this.copyingSnapshot
    );
  }

  /** A scope waiting or in hand whose checkpoints are not loaded yet (it may have first pages to copy). */
  private unprepared(): boolean {
    if (this.inHand !== null && !this.prepared.has(this.inHand)) return true;
    for (const scope of this.pending) if (!this.prepared.has(scope)) return true;
    return false;
  }

  /** Resolves after the first connection attempt (tables ensured, or the first failure recorded). */
  firstAttempt(): Promise<void> {
    return this.attempted;
  }

  enqueue(scope: string): void {
    this.pending.add(scope);
    this.sleeper.wake();
  }

  /**
   * A notification named rows of `table` (key `columns` without "tenancyId", one value list per row). They get the
   * fast path only while the mapping has a backlog to overtake: otherwise the ordinary path is as fast and doing
   * both would apply every single change twice.
   */
  fresh(
    scope: string,
    table: string,
    columns: readonly string[],
    keys: readonly (readonly string[])[],
  ): void {
    let wanted = false;
    for (const mapping of this.deps.mappings) {
      if (mapping.source.table !== table || !this.hasBacklog(scope, mapping.name)) continue;
      const id = `${scope}\u0000${mapping.name}`;
      const merged = mergeFreshKeys(this.freshKeys.get(id), { columns, keys });
      if (merged.keys.length > MAX_FRESH_KEYS) continue;
      this.freshKeys.set(id, merged);
      wanted = true;
      for (const lane of this.lanes) lane.named(scope, mapping.name);
    }
    if (wanted) this.enqueue(scope);
  }

  private hasBacklog(scope: string, mapping: string): boolean {
    if (this.deps.sequencerBusy() || this.active.has(`${scope}\u0000${mapping}`)) return true;
    return this.rowsWaitAbove(scope, mapping);
  }

  /** More than a small page of rows may wait above the cursor, by the heads this target's last round read. */
  private rowsWaitAbove(scope: string, mapping: string): boolean {
    const head = this.lastHeads.get(scope)?.get(mapping);
    const p = this.progress.get(scope)?.get(mapping);
    if (head === undefined || !p) return false;
    return (head - p.cursor) / this.deps.sequenceIncrement > SMALL_PAGE_ROWS;
  }

  /**
   * This target is working off a backlog: the sequencer is sweeping, or more than a small page of rows waits above
   * a cursor. (A single change being applied is not one: under steady churn that would always be true.)
   */
  get workingOffBacklog(): boolean {
    if (this.deps.sequencerBusy()) return true;
    for (const [scope, heads] of this.lastHeads)
      for (const mapping of heads.keys()) if (this.rowsWaitAbove(scope, mapping)) return true;
    return false;
  }

  private freshSource(scope: string, mapping: string): FreshSource & { readonly pending: boolean } {
    const id = `${scope}\u0000${mapping}`;
    const keys = this.freshKeys;
    return {
      get pending() {
        return keys.has(id);
      },
      take() {
        const taken = keys.get(id) ?? null;
        keys.delete(id);
        return taken;
      },
    };
  }

  /** The watermark moved: scopes whose applied rows sit above their checkpoint can settle now. */
  onWatermark(safe: number): void {
    for (const [scope, mappings] of this.progress) {
      for (const p of mappings.values()) {
        if (p.checkpoint < p.cursor && p.checkpoint < safe) this.enqueue(scope);
      }
    }
  }

  nudge(): void {
    this.sleeper.wake();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await Promise.allSettled(this.clients.map((c) => c.end()));
    this.state = 'stopped';
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      // Connect (and create the tables) even while the workers stage is off: readers may query the mirror.
      if (this.lanes.length === 0) {
        try {
          await this.connect();
        } catch (error) {
          await this.fail(describeError(error));
          continue;
        }
      }
      const scope = this.deps.workersEnabled() ? this.pending.values().next().value : undefined;
      if (scope === undefined) {
        for (const lane of this.lanes) lane.dropPrefetch();
        await this.sleeper.sleep(this.deps.workersEnabled() ? 1000 : 100);
        continue;
      }
      this.pending.delete(scope);
      this.inHand = scope;
      try {
        const before = this.progressMark(scope);
        const more = await this.syncScope(scope);
        if (more) this.pending.add(scope);
        // Every mapping was held by another worker (another engine on this target): let it work a moment (and
        // watch it: see HELD_QUIET_MS).
        if (more && this.progressMark(scope) === before) await this.sleeper.sleep(BUSY_BACKOFF_MS);
        this.consecutiveFailures = 0;
        this.nextRetryAt = null;
        this.lastError = null;
        this.state = 'ok';
      } catch (error) {
        this.pending.add(scope);
        await this.fail(describeError(error));
      } finally {
        this.inHand = null;
      }
    }
  }

  /** Bring every mapping of `scope` up to date (within a page budget); true when more work remains. */
  private async syncScope(scope: string): Promise<boolean> {
    const lanes = await this.connect();
    if (!this.prepared.has(scope)) {
      const checkpoints = await lanes[0]!.prepareScope(scope, this.deps.mappings);
      const byMapping = this.scopeProgress(scope);
      for (const [name, checkpoint] of checkpoints) {
        const p = byMapping.get(name);
        // After a (re)connect the mirror may have forgotten asynchronously committed pages: restart from what it
        // holds.
        if (p)
          Object.assign(p, { checkpoint, cursor: checkpoint, lagCursor: Math.max(p.lagCursor, checkpoint) });
        // An empty mirror table is filled from one snapshot, stamped or not (bulk.ts).
        if (checkpoint === -1) this.firstPages.add(`${scope}\u0000${name}`);
      }
      this.prepared.add(scope);
    }
    const heads = await this.deps.clock.time('heads', () => this.deps.heads(scope));
    this.lastHeads.set(scope, heads);
    const watermark = this.deps.knownWatermark();
    const hasPages = (mapping: SyncMapping) => {
      const p = this.scopeProgress(scope).get(mapping.name)!;
      const head = heads.get(mapping.name) ?? -1;
      // Only mappings with rows this engine has not applied, or applied rows the watermark now lets settle.
      const unsettled = p.checkpoint < Math.min(p.cursor, head) && watermark > p.checkpoint;
      return head > p.cursor || unsettled || this.firstPages.has(`${scope}\u0000${mapping.name}`);
    };
    const work = this.deps.mappings.filter(
      (mapping) => hasPages(mapping) || this.freshKeys.has(`${scope}\u0000${mapping.name}`),
    );
    // Mappings are independent tables: spread them over the lanes (one target connection each) so a backfill
    // keeps source and target busy at the same time.
    const results = await Promise.all(
      lanes.map(async (lane, index) => {
        let more = false;
        const laneWork = work.filter((_, i) => i % lanes.length === index);
        lane.keepPrefetchFor(scope, laneWork[0]?.name);
        for (const mapping of laneWork) {
          const p = this.scopeProgress(scope).get(mapping.name)!;
          const id = `${scope}\u0000${mapping.name}`;
          this.active.add(id);
          try {
            const run = {
              applier: lane,
              targetId: this.spec.id,
              scope,
              mapping,
              progress: p,
              head: heads.get(mapping.name) ?? -1,
              stamps: this.deps.stamps,
              emit: this.deps.emit,
              pages: hasPages(mapping),
              fresh: this.freshSource(scope, mapping.name),
            };
            const again = await syncMappingPages(run);
            more = again || more;
            if (p.checkpoint > -1 || p.cursor > -1 || !again) this.firstPages.delete(id);
            p.lastError = null;
          } catch (error) {
            p.lastError = describeError(error);
            throw error;
          } finally {
            this.active.delete(id);
          }
        }
        return more;
      }),
    );
    return results.some(Boolean);
  }

  /**
   * Changes with every page a scope's mappings apply (or fail to): a round that did nothing leaves it alone, and so
   * does one that only watched another worker's pages (it takes their checkpoint, not a page of its own).
   */
  private progressMark(scope: string): string {
    return [...this.scopeProgress(scope).values()].map((p) => `${p.rowsApplied}/${p.updatedAt}`).join();
  }

  scopeProgress(scope: string): Map<string, ScopeProgress> {
    let byMapping = this.progress.get(scope);
    if (!byMapping) {
      byMapping = new Map(this.deps.mappings.map((m) => [m.name, newScopeProgress(this.deps.lagWindowMs)]));
      this.progress.set(scope, byMapping);
    }
    return byMapping;
  }

  private async connect(): Promise<TargetApplier[]> {
    if (this.lanes.length > 0) return this.lanes;
    let clients: pg.Client[] = [];
    const opening = this.openingSessions ?? openTargetSessions(this.spec, this.deps.lanes);
    this.openingSessions = null;
    try {
      clients = await opening;
      await ensureTargetSchema(clients[0]!, this.spec.schema, this.deps.mappings);
    } catch (error) {
      await Promise.allSettled(clients.map((c) => c.end()));
      this.markAttempted();
      throw error;
    }
    this.markAttempted();
    this.clients = clients;
    this.prepared = new Set();
    this.lanes = Array.from(
      { length: this.deps.lanes },
      (_, lane) =>
        new TargetApplier(
          {
            target: clients[lane * 3]!,
            schema: this.spec.schema,
            sourcePool: this.deps.sourcePool,
            watermark: this.deps.watermark,
            pageRows: this.deps.pageRows,
            bulkPageRows: this.deps.bulkPageRows,
            heapSweeps: this.deps.heapSweeps,
            sequenceIncrement: this.deps.sequenceIncrement,
            clock: this.deps.clock,
          },
          clients[lane * 3 + 1]!,
          clients[lane * 3 + 2]!,
        ),
    );
    return this.lanes;
  }

  private async fail(message: string): Promise<void> {
    this.consecutiveFailures++;
    this.failuresSinceMark++;
    this.lastError = message;
    this.state = 'retrying';
    this.deps.emit({ type: 'error', at: Date.now(), stage: 'worker', target: this.spec.id, message });
    await Promise.allSettled(this.clients.map((c) => c.end()));
    this.clients = [];
    this.lanes = [];
    const { initialMs, maxMs } = this.deps.retry;
    const base = Math.min(maxMs, initialMs * 2 ** (this.consecutiveFailures - 1));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.nextRetryAt = Date.now() + delay;
    // New work must not cut the backoff short; only stop() does.
    await this.sleeper.sleep(delay, false);
  }
}
