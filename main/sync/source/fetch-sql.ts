import { DELETED_ROW_TABLE, type SyncMapping, TENANCY_PLACEHOLDER } from '../../../shared/sync/index.js';
import { bigintLiteral, quoteIdent, uuidLiteral } from '../pg.js';

/** Staging columns after the mapping's own: the row's sequence id, whether it is a tombstone, and superseded. */
export const PAGE_EXTRA_COLUMNS = ['sequence_id', 'is_deleted', 'superseded'] as const;

const withTenancy = (sql: string, tenancy: string) => sql.replaceAll(TENANCY_PLACEHOLDER, tenancy);

function liveSelectList(mapping: SyncMapping, tenancy: string): string {
  return mapping.columns
    .map(
      (c) =>
        `(${withTenancy(mapping.source.liveColumns[c.name]!, tenancy)})::${c.type} AS ${quoteIdent(c.name)}`,
    )
    .join(',\n    ');
}

/**
 * One page of a mapping's changes after `after`, ordered by sequence id: live rows and tombstones. Each branch is
 * ordered and LIMITed on its own index BEFORE derived columns (users.primary_email) are computed, so a page costs
 * O(limit) whatever the backlog (upstream computes them for every row above the checkpoint: O(N²) to page through
 * N rows, stack-sync.md §8.6). Superseded tombstones stay in the page (flagged) so the page's row count and last
 * sequence id still tell whether the backlog was exhausted. Literals are inlined because COPY takes no parameters.
 */
export function pageSql(mapping: SyncMapping, tenancyId: string, after: number, limit: number): string {
  return pageSqlWith(mapping, uuidLiteral(tenancyId), bigintLiteral(after), String(Math.trunc(limit)));
}

/** The same page as a prepared statement: $1 tenancy id, $2 after, $3 limit; the rows come back as one JSON text. */
export function pageJsonSql(mapping: SyncMapping): string {
  return `SELECT COALESCE(json_agg(p), '[]')::text AS rows FROM (${pageSqlWith(mapping, '$1::uuid', '$2::bigint', '$3::int')}) AS p`;
}

function pageSqlWith(mapping: SyncMapping, tenancy: string, afterSql: string, limit: string): string {
  const { source } = mapping;
  const tombstoneColumns = mapping.columns
    .map((c) => {
      const key = source.tombstoneKey[c.name];
      return `${key === undefined ? 'NULL' : `(${key})`}::${c.type} AS ${quoteIdent(c.name)}`;
    })
    .join(',\n    ');
  return `SELECT * FROM (
  SELECT
    ${liveSelectList(mapping, tenancy)},
    src."sequenceId" AS sequence_id, false AS is_deleted, false AS superseded
  FROM (
    SELECT src.* FROM ${quoteIdent(source.table)} AS src
    WHERE ${withTenancy(source.liveFilter, tenancy)} AND src."sequenceId" > ${afterSql}
    ORDER BY src."sequenceId" LIMIT ${limit}
  ) AS src
  ${withTenancy(source.liveJoin ?? '', tenancy)}
  UNION ALL
  SELECT
    ${tombstoneColumns},
    dr."sequenceId" AS sequence_id, true AS is_deleted, (${withTenancy(source.tombstoneSuperseded, tenancy)}) AS superseded
  FROM (
    SELECT * FROM ${quoteIdent(DELETED_ROW_TABLE)} AS dr
    WHERE dr."tenancyId" = ${tenancy} AND dr."tableName" = '${source.tombstoneTableName}' AND dr."sequenceId" > ${afterSql}
    ORDER BY dr."sequenceId" LIMIT ${limit}
  ) AS dr
) AS page
ORDER BY sequence_id
LIMIT ${limit}`;
}

/**
 * Every live row of the mapping as the mirror should hold it now (for verification). A whole table at once, so
 * with the mapping's plain `snapshotJoin` where it has one: the users' fingerprint at a million users took the source
 * 7.5–8.9 s with a primary-email probe per user, 2.7–2.9 s with one hash join (2 cores, nothing else running).
 */
export function liveRowsSql(mapping: SyncMapping, tenancyId: string): string {
  const tenancy = uuidLiteral(tenancyId);
  const join = mapping.source.snapshotJoin ?? mapping.source.liveJoin ?? '';
  return `SELECT
    ${liveSelectList(mapping, tenancy)}
  FROM (SELECT src.* FROM ${quoteIdent(mapping.source.table)} AS src WHERE ${withTenancy(mapping.source.liveFilter, tenancy)}) AS src
  ${withTenancy(join, tenancy)}`;
}

/**
 * An order-independent fingerprint of a row set: count plus a sum of 60-bit row hashes. Rows are hashed as UTF-8
 * whatever the server stores, so a mirror on a server of another encoding (LATIN1, say) matches its source.
 */
export function fingerprintSql(rowsSql: string, columns: readonly string[]): string {
  const row = `convert_to(ROW(${columns.map((c) => `r.${quoteIdent(c)}`).join(', ')})::text, 'UTF8')`;
  return `SELECT count(*)::text AS rows,
    COALESCE(sum(('x' || substr(md5(${row}), 1, 15))::bit(60)::bigint), 0)::text AS hash
  FROM (${rowsSql}) AS r`;
}

/**
 * The first page into an EMPTY mirror table: live rows only, in the mirror's own columns, for COPY straight into
 * it (tombstones cannot delete anything from an empty table, and live rows never share a key). With `limit`, the
 * first rows by sequence id (stamped rows only); without, every live row — stamped or still waiting for the
 * sequencer — as of the snapshot (see `bulkPage`). `join`: the mapping's lateral lookup, or its `snapshotJoin` for a
 * read of the whole table (planned with HASH_JOINS).
 */
export function bulkPageSql(
  mapping: SyncMapping,
  tenancyId: string,
  limit: number | null,
  blocks: readonly [number, number] | null = null,
  join: 'live' | 'snapshot' = 'live',
): string {
  const tenancy = uuidLiteral(tenancyId);
  const ordered =
    limit === null
      ? ''
      : ` AND src."sequenceId" IS NOT NULL
    ORDER BY src."sequenceId" LIMIT ${Math.trunc(limit)}`;
  // One slice of a snapshot: the row versions stored in heap blocks [from, to), read by a TID range scan. The
  // OFFSET 0 fence keeps the tenancy filter out of that scan, so stale statistics cannot turn a slice into a walk
  // of the tenancy's whole index (the caller has sequential scans off).
  const table = quoteIdent(mapping.source.table);
  const from =
    blocks === null
      ? table
      : `(SELECT * FROM ${table} WHERE ctid >= '(${Math.trunc(blocks[0])},0)'::tid AND ctid < '(${Math.trunc(blocks[1])},0)'::tid OFFSET 0)`;
  return `SELECT
    ${liveSelectList(mapping, tenancy)}
  FROM (
    SELECT src.* FROM ${from} AS src
    WHERE ${withTenancy(mapping.source.liveFilter, tenancy)}${ordered}
  ) AS src
  ${withTenancy((join === 'snapshot' ? mapping.source.snapshotJoin : mapping.source.liveJoin) ?? '', tenancy)}`;
}

/**
 * Read inside a snapshot, for slicing it into heap block ranges: the table's size in heap blocks (every row version
 * the snapshot sees lies below), its rows per block as of the last ANALYZE or VACUUM (null before either), whether
 * the mapping has more than `limit` live rows in the tenancy (counted up to limit + 1), and their highest sequence
 * id (through the (tenancyId, sequenceId) index).
 */
export function heapShapeSql(mapping: SyncMapping, tenancyId: string, limit: number): string {
  const tenancy = uuidLiteral(tenancyId);
  const table = quoteIdent(mapping.source.table);
  const live = `FROM ${table} AS src WHERE ${withTenancy(mapping.source.liveFilter, tenancy)}`;
  return `SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int)::float8 AS blocks,
    CASE WHEN c.relpages > 0 AND c.reltuples >= 0 THEN c.reltuples / c.relpages END::float8 AS rows_per_block,
    (SELECT count(*) > ${Math.trunc(limit)} FROM (SELECT 1 ${live} LIMIT ${Math.trunc(limit) + 1}) AS page) AS more,
    (SELECT max(src."sequenceId")::text ${live}) AS max_seq
  FROM pg_class AS c WHERE c.oid = '${table.replace(/'/g, "''")}'::regclass`;
}

/** The last sequence id of that bulk page; run in the same snapshot as the COPY. */
export function bulkPageMaxSql(mapping: SyncMapping, tenancyId: string, limit: number): string {
  const tenancy = uuidLiteral(tenancyId);
  return `SELECT max(s)::text AS max_seq FROM (
    SELECT src."sequenceId" AS s FROM ${quoteIdent(mapping.source.table)} AS src
    WHERE ${withTenancy(mapping.source.liveFilter, tenancy)} AND src."sequenceId" IS NOT NULL
    ORDER BY src."sequenceId" LIMIT ${Math.trunc(limit)}) AS page`;
}

/** How many live rows the mapping has, and their highest sequence id. */
export function liveCountSql(mapping: SyncMapping, tenancyId: string): string {
  const tenancy = uuidLiteral(tenancyId);
  return `SELECT count(*)::float8 AS live, max(src."sequenceId")::text AS max_seq
  FROM ${quoteIdent(mapping.source.table)} AS src WHERE ${withTenancy(mapping.source.liveFilter, tenancy)}`;
}

/**
 * The current state of named rows ($1 tenancy id, $2 a JSON array of key objects over `keyColumns`, the source
 * table's primary key without "tenancyId"), as one JSON value in the page's shape. Rows that are gone or no longer
 * match the mapping are simply absent: their tombstones travel the ordinary way.
 */
export function freshRowsJsonSql(mapping: SyncMapping, keyColumns: readonly string[]): string {
  const { source } = mapping;
  const columns = keyColumns.map(quoteIdent);
  const keyTypes = columns.map((c) => `${c} uuid`).join(', ');
  return `SELECT COALESCE(json_agg(p), '[]')::text AS rows FROM (
  SELECT
    ${liveSelectList(mapping, '$1::uuid')},
    src."sequenceId" AS sequence_id, false AS is_deleted, false AS superseded
  FROM (
    SELECT src.* FROM ${quoteIdent(source.table)} AS src
    WHERE ${withTenancy(source.liveFilter, '$1::uuid')}
      AND (${columns.map((c) => `src.${c}`).join(', ')}) IN (SELECT ${columns.map((c) => `k.${c}`).join(', ')} FROM json_to_recordset($2::json) AS k(${keyTypes}))
  ) AS src
  ${withTenancy(source.liveJoin ?? '', '$1::uuid')}
) AS p`;
}
