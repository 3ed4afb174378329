import type { SyncStatus, TargetStatus } from '../../../shared/sync/index.js';
import type { Fusebox } from '../fusebox.js';
import { LagWindow } from '../metrics.js';
import { redactUrl } from '../pg.js';
import type { ApiCounters, ApiTarget } from './api-source.js';

export interface ApiStatusInput {
  readonly state: SyncStatus['state'];
  readonly apiUrl: string;
  readonly projectId: string;
  readonly fusebox: Fusebox;
  readonly lastError: string | null;
  readonly counters: ApiCounters;
  readonly nextRoundAt: number | null;
  readonly targets: readonly ApiTarget[];
}

/** The snapshot for an API source: no sequencer, queue or sequence ids; one `users` mapping per target. */
export function apiStatus(input: ApiStatusInput): SyncStatus {
  return {
    generatedAtMillis: Date.now(),
    state: input.state,
    source: {
      kind: 'api',
      connection: redactUrl(input.apiUrl),
      changeCapture: 'none',
      mappings: ['users'],
      skippedMappings: [],
      scopes: [input.projectId],
      watermark: null,
      notes: [
        'An API listing has no sequence ids: every round lists all users and reconciles the users table.',
      ],
      lastError: input.lastError,
    },
    fusebox: input.fusebox.snapshot(),
    sequencer: null,
    queue: null,
    api: {
      rounds: input.counters.rounds,
      lastRoundAtMillis: input.counters.lastRoundAt,
      lastRoundMs: input.counters.lastRoundMs,
      usersSeen: input.counters.usersSeen,
      nextRoundAtMillis: input.nextRoundAt,
    },
    targets: input.targets.map((t) => targetStatus(t, input.projectId)),
  };
}

function targetStatus(t: ApiTarget, projectId: string): TargetStatus {
  return {
    id: t.spec.id,
    connection: redactUrl(t.spec.url),
    schema: t.spec.schema,
    state: t.lastError ? 'retrying' : t.updatedAt ? 'ok' : 'starting',
    lastError: t.lastError,
    consecutiveFailures: t.failures,
    nextRetryAtMillis: t.nextRetryAt,
    pendingScopes: 0,
    mappings: [
      {
        mapping: 'users',
        scope: projectId,
        internalMinSequenceId: null,
        internalMaxSequenceId: null,
        lastSyncedSequenceId: -1,
        backlogIds: 0,
        backlogRows: 0,
        backlogRowsAtLeast: false,
        oldestWaitingMs: null,
        pendingSequencerRows: 0,
        rowsApplied: t.rowsApplied,
        rowsPerSec: Math.round(t.rate.perSecond() * 10) / 10,
        appliedByAnotherProcess: false,
        lag: new LagWindow().summary(),
        lastError: t.lastError,
        updatedAtMillis: t.updatedAt,
      },
    ],
  };
}
