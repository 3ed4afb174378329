import { z } from 'zod';

/**
 * The sync engine's status snapshot and event stream: the one shape the CLI, the UI and the MCP server read.
 * Vocabulary follows upstream's `GET /internal/external-db-sync/status` (stack-sync.md §5.1), camel-cased, plus
 * what upstream lacks: backlog in rows, rows/s, change-to-mirror lag, per-target errors and the safe watermark.
 * Sequence ids are JSON numbers (exact up to 2^53, i.e. 8·10^14 stamps at upstream's increment of 11).
 */

const int = z.number().int();
const millis = z.number().nullable();

export const SYNC_STAGES = ['sequencer', 'poller', 'workers'] as const;
export const SyncStageSchema = z.enum(SYNC_STAGES);
export type SyncStage = z.infer<typeof SyncStageSchema>;

export const SequencerTableStatsSchema = z.object({
  total: int,
  /** Waiting for the sequencer: flagged, or never stamped. */
  pending: int,
  nullSequenceId: int,
  minSequenceId: int.nullable(),
  maxSequenceId: int.nullable(),
});

export const WatermarkSchema = z.object({
  /** Every sequence id ≤ this was handed out by a transaction that has finished (docs/sync.md). */
  safeSequenceId: int,
  /** The sequence's last handed-out value when last sampled. */
  headSequenceId: int,
  /** Open transactions currently holding sequence ids (they hold the watermark back). */
  holders: int,
  /** Since when the oldest current holder has been seen, if any. */
  oldestHolderSinceMillis: millis,
  method: z.literal('sequence-locks'),
});

export const LagSchema = z.object({
  /**
   * Change-to-mirror lag of the changes mirrored in the recent window, from the change's commit to the mirror
   * commit; null when no change was mirrored in the window (it says nothing about what still waits: see
   * oldestWaitingMs).
   */
  p50Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  samples: int,
  windowMs: int,
});

export const MappingProgressSchema = z.object({
  mapping: z.string(),
  /** Tenancy id for a database source; the project id for an API source. */
  scope: z.string(),
  internalMinSequenceId: int.nullable(),
  internalMaxSequenceId: int.nullable(),
  /** Checkpoint: every change with a sequence id ≤ this is in the mirror. */
  lastSyncedSequenceId: int,
  /** internalMaxSequenceId − lastSyncedSequenceId, in sequence-id units (upstream's "backlog"). */
  backlogIds: int,
  /** Sequenced rows (live rows and tombstones) above the checkpoint; a lower bound when backlogRowsAtLeast. */
  backlogRows: int,
  /**
   * More rows wait than one count walks (backlog.ts, BACKLOG_COUNT_LIMIT): at least backlogRows, at most backlogIds.
   * Absent from a snapshot an earlier version published (the MCP server reads that file), where counts were exact.
   */
  backlogRowsAtLeast: z.boolean().default(false),
  /**
   * How long the oldest sequenced change not yet in this target has waited, from the change to now; null when
   * nothing waits, or when it was stamped before this engine started (its age is unknown).
   */
  oldestWaitingMs: z.number().nullable(),
  /** Rows of the mapping's source table still waiting for the sequencer. */
  pendingSequencerRows: int,
  rowsApplied: int,
  rowsPerSec: z.number(),
  /**
   * Another sync process on this target committed pages of this mapping within the last few seconds: it holds the
   * mapping's progress row, and this one watches its checkpoint instead of applying pages (rowsApplied and rowsPerSec
   * count this process's own rows only). Absent from a snapshot an earlier version published.
   */
  appliedByAnotherProcess: z.boolean().default(false),
  lag: LagSchema,
  lastError: z.string().nullable(),
  updatedAtMillis: millis,
});

export const TARGET_STATES = ['starting', 'ok', 'retrying', 'stopped'] as const;

export const TargetStatusSchema = z.object({
  id: z.string(),
  /** Connection string with the password redacted. */
  connection: z.string(),
  schema: z.string(),
  state: z.enum(TARGET_STATES),
  lastError: z.string().nullable(),
  consecutiveFailures: int,
  nextRetryAtMillis: millis,
  pendingScopes: int,
  mappings: z.array(MappingProgressSchema),
});

export const SourceStatusSchema = z.object({
  kind: z.enum(['database', 'api']),
  connection: z.string(),
  /** 'triggers' = the emulator's change capture; 'application' = upstream semantics (app code flags rows). */
  changeCapture: z.enum(['triggers', 'application', 'none']),
  mappings: z.array(z.string()),
  skippedMappings: z.array(z.object({ mapping: z.string(), reason: z.string() })),
  scopes: z.array(z.string()),
  watermark: WatermarkSchema.nullable(),
  /** How this source is being read, when that differs from the full pipeline (e.g. a role that cannot stamp). */
  notes: z.array(z.string()),
  lastError: z.string().nullable(),
});

export const QueueStatusSchema = z.object({
  total: int,
  pending: int,
  inFlight: int,
  /** Claimed longer than the stale threshold ago (reclaimed on the next poll). */
  stale: int,
  oldestCreatedAtMillis: millis,
  newestCreatedAtMillis: millis,
  oldestPendingAgeMs: z.number().nullable(),
  reclaimed: int,
});

export const SequencerStatusSchema = z.object({
  tables: z.record(z.string(), SequencerTableStatsSchema),
  deletedRowsByTable: z.array(SequencerTableStatsSchema.extend({ tableName: z.string() })),
  ticks: int,
  rowsStamped: int,
  lastTickAtMillis: millis,
});

export const ApiSourceStatusSchema = z.object({
  rounds: int,
  lastRoundAtMillis: millis,
  lastRoundMs: z.number().nullable(),
  usersSeen: int,
  nextRoundAtMillis: millis,
});

export const SyncStatusSchema = z.object({
  generatedAtMillis: z.number(),
  state: z.enum(['starting', 'running', 'stopped']),
  source: SourceStatusSchema,
  fusebox: z.object({ sequencer: z.boolean(), poller: z.boolean(), workers: z.boolean() }),
  sequencer: SequencerStatusSchema.nullable(),
  queue: QueueStatusSchema.nullable(),
  api: ApiSourceStatusSchema.nullable(),
  targets: z.array(TargetStatusSchema),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;
export type TargetStatus = z.infer<typeof TargetStatusSchema>;
export type MappingProgress = z.infer<typeof MappingProgressSchema>;
export type SequencerTableStats = z.infer<typeof SequencerTableStatsSchema>;
export type QueueStatus = z.infer<typeof QueueStatusSchema>;
export type Watermark = z.infer<typeof WatermarkSchema>;

const at = z.number();
export const SyncEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('batch'),
    at,
    target: z.string(),
    mapping: z.string(),
    scope: z.string(),
    rows: int,
    upserted: int,
    deleted: int,
    ms: z.number(),
    lastSyncedSequenceId: int,
  }),
  z.object({ type: z.literal('lag'), at, target: z.string(), mapping: z.string(), ms: z.number() }),
  z.object({ type: z.literal('sequencer'), at, rows: int, tenancies: int, ms: z.number() }),
  z.object({
    type: z.literal('backlog'),
    at,
    target: z.string(),
    mapping: z.string(),
    scope: z.string(),
    rows: int,
    /** The count stopped at its limit: at least `rows` wait (see MappingProgress.backlogRowsAtLeast). */
    rowsAtLeast: z.boolean().default(false),
    ids: int,
    /** Rows applied per second over the last 10 s. */
    rowsPerSec: z.number(),
  }),
  z.object({
    type: z.literal('error'),
    at,
    stage: z.enum(['source', 'sequencer', 'poller', 'worker', 'api']),
    target: z.string().nullable(),
    message: z.string(),
  }),
  z.object({ type: z.literal('stage'), at, stage: SyncStageSchema, enabled: z.boolean() }),
  z.object({ type: z.literal('watermark'), at, safe: int, head: int, holders: int }),
]);
export type SyncEvent = z.infer<typeof SyncEventSchema>;
