/** Public surface of the local emulator: start it, and its internal database (schema, change capture). */
export type { CompatMode } from './context.js';
export { defaultEmulatorDataDir, EmulatorStartError } from './database.js';
export type {
  EmulatorProject,
  EnsureProjectOptions,
  MigrationReport,
  ProjectKeys,
  Queryable,
} from './db/index.js';
export {
  CHANGE_CAPTURE_TRIGGER_PREFIX,
  DatabaseAheadError,
  ensureProject,
  generateProjectKeys,
  MigrationChangedError,
  migrateInternalDatabase,
  removeChangeCapture,
} from './db/index.js';
export type { EmulatorOptions } from './options.js';
export { EmulatorOptionError, parseDuration } from './options.js';
export { SEED_USER_PASSWORD, seedUserEmail } from './seed.js';
export type { RunningEmulator } from './start.js';
export { startEmulator } from './start.js';
