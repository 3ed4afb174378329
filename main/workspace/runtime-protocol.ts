import type { Attribution, Exchange, Finding } from '../../shared/checker/index.js';
import type { SyncEvent, SyncStage, SyncStatus } from '../../shared/sync/index.js';

/** What a project runtime worker is asked to run. Secrets travel only between main and its own worker. */
export interface RuntimeConfig {
  readonly project: string;
  /** Folder for this project's embedded Postgres cluster(s). */
  readonly dataDir: string;
  readonly emulator: { readonly compat: 'dual' | 'legacy'; readonly seedUsers?: number } | null;
  /** Where the mirror's rows come from: the project's own emulator, an internal DB, or the server API. */
  readonly source:
    | { readonly kind: 'emulator' }
    | { readonly kind: 'database'; readonly url: string }
    | {
        readonly kind: 'api';
        readonly apiUrl: string;
        readonly projectId: string;
        readonly secretServerKey: string;
      }
    | null;
  /** External mirror database; null means an embedded one in `dataDir`. */
  readonly mirrorUrl: string | null;
  /** Backend the capture proxy forwards to (null: the project's emulator). */
  readonly proxyTarget: string | null;
}

export interface RuntimeReady {
  readonly apiUrl: string | null;
  readonly proxyUrl: string | null;
  readonly mirrorUrl: string | null;
  /** The mirror's read-only role, in our own clusters; null for an external mirror. */
  readonly mirrorReaderUrl: string | null;
  readonly emulator: {
    readonly projectId: string;
    readonly publishableClientKey: string;
    readonly secretServerKey: string;
    readonly superSecretAdminKey: string;
    readonly internalDatabaseUrl: string;
  } | null;
}

export type WorkerMessage =
  /** The worker's code is loaded and nothing is started yet: it waits for `start` (or is simply terminated). */
  | { readonly type: 'loaded' }
  | { readonly type: 'ready'; readonly ready: RuntimeReady }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'status'; readonly status: SyncStatus }
  | { readonly type: 'sync-event'; readonly event: SyncEvent }
  | {
      readonly type: 'exchange';
      readonly exchange: Exchange;
      readonly attribution: Attribution;
      readonly findings: readonly Finding[];
    }
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly ok: boolean;
      readonly value?: unknown;
      readonly error?: string;
    }
  | { readonly type: 'stopped' };

export type MainMessage =
  | { readonly type: 'start' }
  | { readonly type: 'set-stage'; readonly id: number; readonly stage: SyncStage; readonly enabled: boolean }
  | { readonly type: 'sync-now'; readonly id: number }
  | { readonly type: 'stop' };
