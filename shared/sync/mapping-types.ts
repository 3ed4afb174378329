/**
 * How one mirror table is defined. The target shape (columns, types, defaults, primary key, grants) is exactly
 * what upstream's default Postgres mapping creates (`DEFAULT_DB_SYNC_MAPPINGS` in
 * packages/stack-shared/src/config/db-sync-mappings.ts), so a query written against Hexclave's hosted sync runs
 * unchanged against the mirror. The source side is written as SQL fragments that the engine assembles into a
 * paged fetch which limits each branch (live rows, tombstones) BEFORE computing derived columns.
 */

export type MirrorColumnType =
  | 'uuid'
  | 'text'
  | 'boolean'
  | 'jsonb'
  | 'bigint'
  | 'integer'
  | 'timestamp without time zone';

export interface MappingColumn {
  readonly name: string;
  readonly type: MirrorColumnType;
  readonly notNull: boolean;
  /** Column default exactly as upstream's DDL spells it. */
  readonly default?: string;
  /** What the column holds, for docs, the UI and the MCP knowledge base. */
  readonly description?: string;
}

export interface MappingSource {
  /** The sequenced table whose `sequenceId` orders this mapping's live rows. */
  readonly table: string;
  /**
   * Conditions on the live rows (alias `src`) besides `sequenceId`. `{{tenancy}}` is replaced by the tenancy id
   * literal. Must be satisfiable from an index on (tenancyId, sequenceId) where the table has one.
   */
  readonly liveFilter: string;
  /** Optional JOIN appended after the limited live rows (alias `src`), e.g. a LATERAL lookup. */
  readonly liveJoin?: string;
  /**
   * The same rows as `liveJoin` as a plain equi-join, for reading every live row at once (a first snapshot): then a
   * hash join does in one pass what the lateral lookup does with an index probe per row. Only where a unique key
   * makes the two agree (at most one joined row per live row); a source that breaks that makes the snapshot's
   * COPY fail on a duplicate key, and the mapping then merges page by page.
   */
  readonly snapshotJoin?: string;
  /** Target column → SQL over `src` (and the `liveJoin`), evaluated only for the rows of the page. */
  readonly liveColumns: Readonly<Record<string, string>>;
  /** `DeletedRow."tableName"` of this mapping's tombstones. */
  readonly tombstoneTableName: string;
  /** Target primary-key column → SQL over the tombstone alias `dr` (its `primaryKey`/`data` JSON). */
  readonly tombstoneKey: Readonly<Record<string, string>>;
  /**
   * SQL over `dr`: true when a live source row with the same target key exists now (the key was re-created after
   * the delete). Such a tombstone is superseded and must not delete the mirror row.
   */
  readonly tombstoneSuperseded: string;
}

export interface SyncMapping {
  /** Mapping id, also the `mapping_name` in `_stack_sync_metadata`. */
  readonly name: string;
  readonly targetTable: string;
  readonly description: string;
  /** Internal tables that must exist for the mapping to run (besides "DeletedRow"). */
  readonly requiredSourceTables: readonly string[];
  readonly columns: readonly MappingColumn[];
  readonly primaryKey: readonly string[];
  readonly source: MappingSource;
}

export const TIMESTAMP = 'timestamp without time zone' as const;

export function column(
  name: string,
  type: MirrorColumnType,
  options: { notNull?: boolean; default?: string; description?: string } = {},
): MappingColumn {
  return {
    name,
    type,
    notNull: options.notNull ?? false,
    ...(options.default === undefined ? {} : { default: options.default }),
    ...(options.description === undefined ? {} : { description: options.description }),
  };
}

export const required = (
  name: string,
  type: MirrorColumnType,
  options: { default?: string; description?: string } = {},
) => column(name, type, { ...options, notNull: true });

/** The three metadata columns of users and teams. */
export const METADATA_COLUMNS: readonly MappingColumn[] = [
  required('client_metadata', 'jsonb', { default: "'{}'::jsonb" }),
  required('client_read_only_metadata', 'jsonb', { default: "'{}'::jsonb" }),
  required('server_metadata', 'jsonb', { default: "'{}'::jsonb" }),
];

export const metadataFrom = (alias: string) => ({
  client_metadata: `COALESCE(${alias}."clientMetadata", '{}'::jsonb)`,
  client_read_only_metadata: `COALESCE(${alias}."clientReadOnlyMetadata", '{}'::jsonb)`,
  server_metadata: `COALESCE(${alias}."serverMetadata", '{}'::jsonb)`,
});

/** `dr."primaryKey"->>'field'` cast to uuid. */
export const tombstoneUuid = (field: string) => `(dr."primaryKey"->>'${field}')::uuid`;
export const tombstoneText = (field: string) => `(dr."primaryKey"->>'${field}')`;
export const TENANCY_FILTER = `src."tenancyId" = {{tenancy}}`;
export const TENANCY_PLACEHOLDER = '{{tenancy}}';

/** A tombstone is superseded when a live row of the same table (same tenancy, matching `conditions`) exists again. */
export const liveExists = (table: string, conditions: string) =>
  `EXISTS (SELECT 1 FROM "${table}" AS live WHERE live."tenancyId" = ${TENANCY_PLACEHOLDER} AND ${conditions})`;
