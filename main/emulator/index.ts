/** Public surface of the local emulator: start it, its internal database (schema, change capture), its mailbox. */
export type { CompatMode } from './compat.js';
export { defaultEmulatorDataDir, EmulatorStartError } from './database.js';
export type { MigrationReport, Queryable } from './db/index.js';
export {
  CHANGE_CAPTURE_TRIGGER_PREFIX,
  DatabaseAheadError,
  MigrationChangedError,
  migrateInternalDatabase,
  removeChangeCapture,
} from './db/index.js';
export type { MailMessage } from './domain/mail/index.js';
export type { EmulatorProject, EnsureProjectOptions, ProjectKeys } from './domain/projects/index.js';
export { ensureProject, generateProjectKeys, INTERNAL_PROJECT_ID } from './domain/projects/index.js';
export type { MailboxReader, MailboxSummary } from './mailbox-reader.js';
export { openMailbox } from './mailbox-reader.js';
export type { EmulatorOptions } from './options.js';
export { EmulatorOptionError, parseDuration } from './options.js';
export { SEED_USER_PASSWORD, seedUserEmail } from './seed.js';
export type { RunningEmulator } from './start.js';
export { startEmulator } from './start.js';
