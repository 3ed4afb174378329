/** Pure facts about the sync engine: the mirror's mapping definitions and the status/event shapes. */

export * from './backlog.js';
export * from './mapping-types.js';
export { mirrorTableDdl, SYNC_MAPPINGS, SYNC_METADATA_TABLE, syncMapping } from './mappings/index.js';
export * from './sequenced-tables.js';
export * from './status.js';
