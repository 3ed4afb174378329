import type { SyncEvent, SyncStage, SyncStatus } from '../../shared/sync/index.js';
import { ApiSource } from './api-source/api-source.js';
import { catchUp } from './catch-up.js';
import { DatabaseSource } from './database-source.js';
import { Fusebox } from './fusebox.js';
import { resolveTuning, type SyncEngineOptions, type SyncNowResult } from './options.js';
import { SyncConfigurationError } from './pg.js';
import { STAGES, type StageTimings } from './stage-clock.js';
import { databaseStatus } from './status-builder.js';
import type { TargetSpec } from './target/runner.js';

export interface SyncEngine {
  /** The current snapshot (refreshed every `monitorIntervalMs`; progress fields are live). */
  status(): SyncStatus;
  /** Live events for charts and logs; returns the unsubscribe function. */
  subscribe(listener: (event: SyncEvent) => void): () => void;
  /** The fusebox: pause or resume one stage at runtime. */
  setStage(stage: SyncStage, enabled: boolean): void;
  /** Catch up now and resolve when every target has every change that existed when it was called. */
  syncNow(): Promise<SyncNowResult>;
  /** Cumulative time per pipeline stage since start (diagnostics; compare two readings). */
  stageTimings(): StageTimings;
  stop(): Promise<void>;
}

const NO_TIMINGS = (): StageTimings =>
  Object.fromEntries(STAGES.map((stage) => [stage, { ms: 0, calls: 0, rows: 0 }])) as StageTimings;

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

function targetSpecs(options: SyncEngineOptions): TargetSpec[] {
  if (options.targets.length === 0) throw new SyncConfigurationError('Give at least one target database.');
  const specs = options.targets.map((t, i) => {
    const schema = t.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) {
      throw new SyncConfigurationError(
        `Target schema "${schema}" is not a plain SQL identifier (letters, digits, _).`,
      );
    }
    if (!/^postgres(ql)?:\/\//.test(t.url)) {
      throw new SyncConfigurationError(`Target ${i + 1} must be a postgres:// URL.`);
    }
    return { id: t.id ?? `target-${i + 1}`, url: t.url, schema };
  });
  const ids = new Set(specs.map((s) => s.id));
  if (ids.size !== specs.length) throw new SyncConfigurationError('Target ids must be unique.');
  return specs;
}

/**
 * Start mirroring. A plain Node module with no global state, so a desktop app can host it in a worker. Rejects
 * with a SyncConfigurationError when the source cannot be used; a target that is down is retried in the background.
 */
export async function startSyncEngine(options: SyncEngineOptions): Promise<SyncEngine> {
  const tuning = resolveTuning(options.tuning);
  const targets = targetSpecs(options);
  const fusebox = new Fusebox(options.stages);
  const listeners = new Set<(event: SyncEvent) => void>();
  if (options.onEvent) listeners.add(options.onEvent);
  const emit = (event: SyncEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A faulty listener must not stop the engine.
      }
    }
  };
  let state: SyncStatus['state'] = 'starting';
  const common = {
    subscribe(listener: (event: SyncEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setStage(stage: SyncStage, enabled: boolean) {
      if (fusebox.set(stage, enabled)) emit({ type: 'stage', at: Date.now(), stage, enabled });
      source.nudge();
    },
  };
  const source =
    options.source.kind === 'database'
      ? new DatabaseSource({
          url: options.source.url,
          targets,
          tenancyIds: options.tenancyIds,
          tuning,
          fusebox,
          emit,
        })
      : new ApiSource({ ...options.source, targets, tuning, fusebox, emit });
  await source.start();
  state = 'running';
  if (source instanceof DatabaseSource) {
    const url = options.source.kind === 'database' ? options.source.url : '';
    return {
      ...common,
      status: () => databaseStatus(source, url, fusebox, state),
      syncNow: () => catchUp(source, fusebox.workers),
      stageTimings: () => source.clock.snapshot(),
      async stop() {
        state = 'stopped';
        await source.stop();
      },
    };
  }
  const api = source as ApiSource;
  return {
    ...common,
    status: () => api.status(state),
    syncNow: () => api.syncNow(),
    stageTimings: NO_TIMINGS,
    async stop() {
      state = 'stopped';
      await api.stop();
    },
  };
}
