import type pg from 'pg';
import { type SyncEvent, type SyncStatus, syncMapping } from '../../../shared/sync/index.js';
import type { Fusebox } from '../fusebox.js';
import { RollingRate } from '../metrics.js';
import type { ResolvedTuning, SyncNowResult } from '../options.js';
import { ASYNC_COMMIT, describeError, openClient } from '../pg.js';
import type { TargetSpec } from '../target/runner.js';
import { ensureTargetSchema } from '../target/schema.js';
import { apiStatus } from './api-status.js';
import { UsersReconciler } from './reconcile.js';
import { listUsers } from './users-api.js';

export interface ApiSourceDeps {
  readonly apiUrl: string;
  readonly projectId: string;
  readonly secretServerKey: string;
  readonly intervalMs?: number;
  readonly targets: readonly TargetSpec[];
  readonly tuning: ResolvedTuning;
  readonly fusebox: Fusebox;
  readonly emit: (event: SyncEvent) => void;
}

export interface ApiCounters {
  rounds: number;
  lastRoundAt: number | null;
  lastRoundMs: number | null;
  usersSeen: number;
}

export interface ApiTarget {
  readonly spec: TargetSpec;
  client: pg.Client | null;
  reconciler: UsersReconciler | null;
  failures: number;
  nextRetryAt: number | null;
  lastError: string | null;
  rowsApplied: number;
  /** rowsApplied as of the last syncNow. */
  reportedRows: number;
  updatedAt: number | null;
  readonly rate: RollingRate;
}

const USERS = syncMapping('users');

/**
 * For projects whose internal database is out of reach: list every user through the server API on an interval and
 * reconcile the `users` table of each target (upserts, and deletes of users that disappeared). Only a complete
 * listing is applied, so a failed page never deletes anyone.
 */
export class ApiSource {
  private readonly targets: ApiTarget[];
  private readonly counters: ApiCounters = { rounds: 0, lastRoundAt: null, lastRoundMs: null, usersSeen: 0 };
  private nextRoundAt: number | null = null;
  private lastError: string | null = null;
  private round: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: ApiSourceDeps) {
    this.targets = deps.targets.map((spec) => ({
      spec,
      client: null,
      reconciler: null,
      failures: 0,
      nextRetryAt: null,
      lastError: null,
      rowsApplied: 0,
      reportedRows: 0,
      updatedAt: null,
      rate: new RollingRate(),
    }));
  }

  private get intervalMs(): number {
    return this.deps.intervalMs ?? 30_000;
  }

  async start(): Promise<void> {
    this.schedule(0);
  }

  nudge(): void {
    if (!this.round) this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextRoundAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.runRound().finally(() => this.schedule(this.intervalMs));
    }, delay);
  }

  async syncNow(): Promise<SyncNowResult> {
    if (!this.deps.fusebox.workers || !this.deps.fusebox.poller) {
      throw new Error('The poller or workers stage is switched off; switch both on to sync.');
    }
    const started = performance.now();
    await this.round?.catch(() => {});
    await this.runRound(true);
    // Rows applied since the previous syncNow returned (or since the engine started).
    const applied = this.targets.reduce((sum, t) => sum + t.rowsApplied - t.reportedRows, 0);
    for (const target of this.targets) target.reportedRows = target.rowsApplied;
    return {
      seconds: Math.round((performance.now() - started) / 10) / 100,
      mappings: [
        {
          name: 'users',
          rowsApplied: applied,
          lastSyncedSequenceId: -1,
        },
      ],
      targets: this.targets.map((t) => ({
        id: t.spec.id,
        caughtUp: !t.lastError,
        settled: !t.lastError,
        error: t.lastError,
      })),
    };
  }

  private runRound(force = false): Promise<void> {
    this.round ??= this.reconcileAll(force).finally(() => {
      this.round = null;
    });
    return this.round;
  }

  private async reconcileAll(force: boolean): Promise<void> {
    if (!force && (!this.deps.fusebox.poller || !this.deps.fusebox.workers)) return;
    const started = performance.now();
    const due = this.targets.filter((t) => force || t.nextRetryAt === null || t.nextRetryAt <= Date.now());
    const active: ApiTarget[] = [];
    for (const target of due) {
      if (await this.attempt(target, () => this.prepare(target))) active.push(target);
    }
    if (active.length === 0) return;
    let seen = 0;
    try {
      for await (const page of listUsers({ ...this.deps })) {
        seen += page.length;
        for (const target of [...active]) {
          if (!(await this.attempt(target, () => target.reconciler!.stage(page))))
            active.splice(active.indexOf(target), 1);
        }
      }
    } catch (error) {
      this.lastError = describeError(error);
      this.deps.emit({ type: 'error', at: Date.now(), stage: 'api', target: null, message: this.lastError });
      return;
    }
    this.lastError = null;
    for (const target of active) {
      await this.attempt(target, async () => {
        const changed = await target.reconciler!.commit();
        const applied = changed.upserted + changed.deleted;
        target.rowsApplied += applied;
        target.updatedAt = Date.now();
        if (applied > 0) target.rate.add(applied);
        this.deps.emit({
          type: 'batch',
          at: Date.now(),
          target: target.spec.id,
          mapping: 'users',
          scope: this.deps.projectId,
          rows: seen,
          upserted: changed.upserted,
          deleted: changed.deleted,
          ms: Math.round(performance.now() - started),
          lastSyncedSequenceId: -1,
        });
      });
    }
    this.counters.rounds++;
    this.counters.usersSeen = seen;
    this.counters.lastRoundAt = Date.now();
    this.counters.lastRoundMs = Math.round(performance.now() - started);
  }

  private async prepare(target: ApiTarget): Promise<void> {
    if (!target.client) {
      const client = await openClient(target.spec.url, `target:${target.spec.id}`, ASYNC_COMMIT);
      try {
        await ensureTargetSchema(client, target.spec.schema, [USERS]);
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      }
      target.client = client;
      target.reconciler = new UsersReconciler(client, target.spec.schema, `api:${this.deps.projectId}`);
    }
    await target.reconciler!.begin();
  }

  /** Run one step for one target; on failure record it, back off and drop the connection. */
  private async attempt(target: ApiTarget, step: () => Promise<void>): Promise<boolean> {
    try {
      await step();
      target.failures = 0;
      target.nextRetryAt = null;
      target.lastError = null;
      return true;
    } catch (error) {
      target.failures++;
      target.lastError = describeError(error);
      const { retryInitialMs, retryMaxMs } = this.deps.tuning;
      target.nextRetryAt = Date.now() + Math.min(retryMaxMs, retryInitialMs * 2 ** (target.failures - 1));
      this.deps.emit({
        type: 'error',
        at: Date.now(),
        stage: 'worker',
        target: target.spec.id,
        message: target.lastError,
      });
      await target.client?.end().catch(() => {});
      target.client = null;
      target.reconciler = null;
      return false;
    }
  }

  status(state: SyncStatus['state']): SyncStatus {
    return apiStatus({
      state,
      apiUrl: this.deps.apiUrl,
      projectId: this.deps.projectId,
      fusebox: this.deps.fusebox,
      lastError: this.lastError,
      counters: this.counters,
      nextRoundAt: this.nextRoundAt,
      targets: this.targets,
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round?.catch(() => {});
    await Promise.allSettled(this.targets.map((t) => t.client?.end()));
  }
}
