export { browseMirrorTable, type MirrorPage, mirrorTableCounts } from './browse.js';
export type { MirrorSettings } from './connection.js';
export { type MirrorErrorKind, MirrorQueryError, SQLSTATE } from './errors.js';
export { type MappingCheckpoint, type MirrorFreshness, readMirrorFreshness } from './freshness.js';
export {
  capCell,
  DEFAULT_OUTPUT_LIMITS,
  type OutputLimits,
  truncationMark,
} from './output-limits.js';
export { ExplainOutputSchema } from './plan-schema.js';
export {
  type OmittedPlan,
  type PlanNodeSummary,
  type ProfileAttempt,
  type ProfileOptions,
  profileQuery,
  type QueryProfile,
  summarisePlan,
} from './profile.js';
export {
  type JsonValue,
  type QueryColumn,
  type ReadOnlyQueryResult,
  runReadOnlyQuery,
} from './query.js';
export { checkReadOnlyStatement } from './read-only-guard.js';
export {
  createMirrorReaderRole,
  MIRROR_READER_ROLE,
  readerRoleStatements,
  readerUrl,
} from './reader-role.js';
export { auditMirrorRole, type RoleAudit } from './role-audit.js';
export { scanStatements } from './sql-statements.js';
export {
  MIRROR_TABLES,
  type MirrorColumn,
  type MirrorTable,
  mirrorTable,
  SYNC_METADATA_TABLE,
} from './tables.js';
export {
  findMirrorUsers,
  type MirrorContactChannel,
  type MirrorUser,
  type UserLookup,
  type UserLookupMode,
} from './users.js';
