/** The emulator's internal database: upstream Stack Auth's schema plus change capture, and its project setup. */

export { CHANGE_CAPTURE_TRIGGER_PREFIX, removeChangeCapture } from './change-capture.js';
export type { MigrationReport } from './migrate.js';
export { DatabaseAheadError, MigrationChangedError, migrateInternalDatabase } from './migrate.js';
export type { EmulatorProject, EnsureProjectOptions, ProjectKeys, Queryable } from './project.js';
export { ensureProject, generateProjectKeys } from './project.js';
