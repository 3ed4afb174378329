/** The emulator's internal database: upstream Stack Auth's schema plus change capture, migrations, transactions. */

export { CHANGE_CAPTURE_TRIGGER_PREFIX, removeChangeCapture } from './change-capture.js';
export type { MigrationReport } from './migrate.js';
export { DatabaseAheadError, MigrationChangedError, migrateInternalDatabase } from './migrate.js';
export type { Queryable } from './queryable.js';
export { isUniqueViolation, withTransaction } from './transaction.js';
