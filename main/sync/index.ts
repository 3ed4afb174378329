/**
 * The sync engine: mirrors a project's users (and contact channels, teams, memberships, …) from an internal
 * database or the server API into the developer's own Postgres, in upstream's table shapes. See docs/sync.md.
 */

export {
  backlogTotal,
  mirrorTableDdl,
  SYNC_MAPPINGS,
  SYNC_METADATA_TABLE,
  type SyncEvent,
  SyncEventSchema,
  type SyncMapping,
  type SyncStage,
  type SyncStatus,
  SyncStatusSchema,
  syncMapping,
} from '../../shared/sync/index.js';
export { serverHeaders, usersEndpoint } from './api-source/users-api.js';
export {
  describeSource,
  EMBEDDED_MIRROR_DATABASE,
  type SourceDescription,
  startEmbeddedMirror,
} from './describe.js';
export { type SyncEngine, startSyncEngine } from './engine.js';
export type {
  SyncEngineOptions,
  SyncNowResult,
  SyncSourceOptions,
  SyncTargetOptions,
  SyncTuning,
} from './options.js';
export { SyncConfigurationError } from './pg.js';
export { PROGRESS_TABLE } from './target/schema.js';
export { type MirrorVerification, verifyMirror } from './verify.js';
