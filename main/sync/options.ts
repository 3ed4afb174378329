import type { SyncEvent, SyncStage } from '../../shared/sync/index.js';

export type SyncSourceOptions =
  | {
      readonly kind: 'database';
      /** postgres:// URL of an internal database (emulator or self-hosted Stack Auth / Hexclave). */
      readonly url: string;
    }
  | {
      readonly kind: 'api';
      /** Backend base URL, e.g. https://api.stack-auth.com (the engine appends /api/v1). */
      readonly apiUrl: string;
      readonly projectId: string;
      readonly secretServerKey: string;
      /** Reconcile interval. Default 30 s. */
      readonly intervalMs?: number;
    };

export interface SyncTargetOptions {
  /** postgres:// URL of the developer's database. */
  readonly url: string;
  /** Schema for the mirror tables; several projects can share one database with one schema each. */
  readonly schema?: string;
  /** Name in status and events. Default "target-1", "target-2", … */
  readonly id?: string;
}

export interface SyncTuning {
  /** Rows per fetched page (one target transaction each). Default 20,000. */
  readonly pageRows?: number;
  /**
   * An empty mirror table gets all its mapping's live rows, stamped or not, in one snapshot, copied in slices of
   * about this many rows (see docs/sync.md); on servers before PostgreSQL 14 a larger table gets its first
   * this-many stamped rows instead. Default 20,000.
   */
  readonly bulkPageRows?: number;
  /** Rows per table per sequencer statement (upstream's default 1,000). */
  readonly sequencerBatchSize?: number;
  /** Fallback poll when no NOTIFY arrives (a source without change-capture triggers). Default 50 ms. */
  readonly pollIntervalMs?: number;
  /** How often stats are refreshed and every scope is checked against the source (the sweep). Default 1 s. */
  readonly monitorIntervalMs?: number;
  /** Claimed queue requests older than this are reclaimed. Default 60 s (upstream alerts after 60 s). */
  readonly staleClaimMs?: number;
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  /** Connections per target working on different mappings at once. Default 2. */
  readonly lanes?: number;
  /** Change-to-mirror lag percentiles cover the samples of this last stretch of time. Default 60 s. */
  readonly lagWindowMs?: number;
  /** Source connections that stamp a backlog at once, each its own share of the heap. Default 2. */
  readonly sequencerLanes?: number;
}

export interface SyncEngineOptions {
  readonly source: SyncSourceOptions;
  readonly targets: readonly SyncTargetOptions[];
  /** Tenancies to mirror (database source). Default: every tenancy of the source, including later ones. */
  readonly tenancyIds?: readonly string[];
  /** Initial fusebox; every stage defaults to on. */
  readonly stages?: Partial<Record<SyncStage, boolean>>;
  readonly tuning?: SyncTuning;
  readonly onEvent?: (event: SyncEvent) => void;
}

export interface ResolvedTuning {
  readonly pageRows: number;
  readonly bulkPageRows: number;
  readonly sequencerBatchSize: number;
  readonly pollIntervalMs: number;
  readonly monitorIntervalMs: number;
  readonly staleClaimMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly lanes: number;
  readonly lagWindowMs: number;
  readonly sequencerLanes: number;
}

export function resolveTuning(tuning: SyncTuning = {}): ResolvedTuning {
  const positive = (value: number | undefined, fallback: number, name: string) => {
    const resolved = value ?? fallback;
    if (!Number.isFinite(resolved) || resolved <= 0)
      throw new Error(`tuning.${name} must be a positive number.`);
    return resolved;
  };
  return {
    pageRows: Math.trunc(positive(tuning.pageRows, 20_000, 'pageRows')),
    // 20,000 like a page: one COPY of 100,000 rows from source to target stalled with both ends in COPY (found
    // by the 100,000-user frame-time test on the merged tree, cause not yet found); pages of 20,000 complete.
    bulkPageRows: Math.trunc(positive(tuning.bulkPageRows, 20_000, 'bulkPageRows')),
    sequencerBatchSize: Math.trunc(positive(tuning.sequencerBatchSize, 1000, 'sequencerBatchSize')),
    pollIntervalMs: positive(tuning.pollIntervalMs, 50, 'pollIntervalMs'),
    monitorIntervalMs: positive(tuning.monitorIntervalMs, 1000, 'monitorIntervalMs'),
    staleClaimMs: positive(tuning.staleClaimMs, 60_000, 'staleClaimMs'),
    retryInitialMs: positive(tuning.retryInitialMs, 250, 'retryInitialMs'),
    retryMaxMs: positive(tuning.retryMaxMs, 30_000, 'retryMaxMs'),
    lanes: Math.trunc(positive(tuning.lanes, 2, 'lanes')),
    lagWindowMs: positive(tuning.lagWindowMs, 60_000, 'lagWindowMs'),
    sequencerLanes: Math.trunc(positive(tuning.sequencerLanes, 2, 'sequencerLanes')),
  };
}

export interface SyncNowMapping {
  readonly name: string;
  /** Rows inserted, changed or deleted in the mirror since the previous syncNow returned (or the engine started). */
  readonly rowsApplied: number;
  readonly lastSyncedSequenceId: number;
}

export interface SyncNowResult {
  readonly seconds: number;
  /** Per mapping, summed over scopes and targets (lastSyncedSequenceId: the lowest checkpoint). */
  readonly mappings: readonly SyncNowMapping[];
  readonly targets: readonly {
    readonly id: string;
    readonly caughtUp: boolean;
    readonly settled: boolean;
    readonly error: string | null;
  }[];
}
