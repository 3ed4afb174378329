import { GLOBAL_SEQUENCE } from '../../../shared/internal-db.js';
import type { SequencedTable } from '../../../shared/sync/index.js';
import { quoteIdent } from '../pg.js';
import { enqueueSql } from './queue-sql.js';

export interface StatementOptions {
  readonly queue: boolean;
  readonly invitations: boolean;
}

/**
 * Which flagged rows a statement takes:
 * - `pick`: up to $1 rows from the flag index ("shouldUpdateSequenceId", …), upstream's way. It has no ORDER BY so
 *   that no other index can serve it: with an ORDER BY "tenancyId" the planner, once its statistics say a third of
 *   the table is flagged, walks ("tenancyId", "createdAt") and filters — 676,000 rows read for a 1,000-row pick at
 *   a million users. The flag index returns rows in its own order, (flag, tenancy), which keeps upstream's tenancy
 *   order.
 * - `sweep`: the flagged rows of heap blocks [$1, $2) (a TID range scan). A backlog is swept once, front to back:
 *   every statement costs its own blocks only. Picking from the flag index instead walks past the entries of every
 *   row stamped so far (dead until vacuum), so a backlog of N rows costs O(N²).
 */
export type PickKind = 'pick' | 'sweep';

function pickSql(table: SequencedTable, kind: PickKind): string {
  const keys = table.primaryKey.map((k) => `t.${quoteIdent(k)}`).join(', ');
  const filter = table.rowFilter ? ` AND ${table.rowFilter}` : '';
  const where =
    kind === 'pick'
      ? `t."shouldUpdateSequenceId" = TRUE${filter}`
      : `t.ctid >= $1::tid AND t.ctid < $2::tid AND t."shouldUpdateSequenceId" = TRUE${filter}`;
  return `SELECT t.ctid AS row_id, ${keys} FROM ${quoteIdent(table.table)} AS t
  WHERE ${where}${kind === 'pick' ? ' LIMIT $1' : ''} FOR UPDATE SKIP LOCKED`;
}

/**
 * One statement per sequenced table and kind, upstream's shape (stack-sync.md §2): a CTE picks flagged rows FOR
 * UPDATE SKIP LOCKED, an UPDATE … FROM it (joined back by ctid: the rows are locked, so it cannot move) stamps them
 * with nextval and clears the flag. Unlike upstream, the enqueue of one request per touched tenancy is part of the
 * same statement, so a stamp never commits without its wake-up. Team stamps re-flag that team's invitations
 * (team_display_name is derived).
 */
export function stampStatement(table: SequencedTable, kind: PickKind, options: StatementOptions): string {
  const name = quoteIdent(table.table);
  const ctes = [
    `picked AS (${pickSql(table, kind)})`,
    `stamped AS (
  UPDATE ${name} AS t SET "sequenceId" = nextval('${GLOBAL_SEQUENCE}'), "shouldUpdateSequenceId" = FALSE
  FROM picked WHERE t.ctid = picked.row_id
  RETURNING ${table.tenancyExpression} AS tenancy_id, t."sequenceId" AS sequence_id${table.table === 'Team' ? ', t."teamId" AS team_id' : ''})`,
  ];
  if (options.queue) ctes.push(`enqueued AS (${enqueueSql('stamped')} RETURNING 1)`);
  if (table.table === 'Team' && options.invitations) {
    ctes.push(`invitations AS (
  UPDATE "VerificationCode" AS vc SET "shouldUpdateSequenceId" = TRUE
  FROM stamped JOIN "Tenancy" AS ten ON ten."id" = stamped.tenancy_id
  WHERE vc."type" = 'TEAM_INVITATION' AND NOT vc."shouldUpdateSequenceId"
    AND vc."projectId" = ten."projectId" AND vc."branchId" = ten."branchId"
    AND vc."data"->>'team_id' = stamped.team_id::text
  RETURNING 1)`);
  }
  // The tenancies through a hash aggregate: array_agg(DISTINCT …) would sort every stamped row.
  return `WITH ${ctes.join(',\n')}
SELECT '${table.table}' AS table_name, count(*)::int AS rows, min(sequence_id)::text AS min_seq,
       max(sequence_id)::text AS max_seq,
       COALESCE((SELECT array_agg(d.tenancy_id::text) FROM (SELECT DISTINCT tenancy_id FROM stamped
                 WHERE tenancy_id IS NOT NULL) AS d), '{}') AS tenancies
FROM stamped`;
}

/** Which tables have flagged rows: one probe of each flag index, so an idle tick costs one cheap statement. */
export function probeStatement(tables: readonly SequencedTable[]): string {
  const probes = tables.map(
    (t, i) =>
      `CASE WHEN EXISTS (SELECT 1 FROM ${quoteIdent(t.table)} AS t WHERE t."shouldUpdateSequenceId" = TRUE${t.rowFilter ? ` AND ${t.rowFilter}` : ''}) THEN ${i} END`,
  );
  return `SELECT array_remove(ARRAY[${probes.join(', ')}], NULL) AS flagged`;
}

/** A table's heap blocks now (a sweep covers the blocks that existed when it began) and its tuples per block. */
export function heapSizeStatement(table: SequencedTable): string {
  const relation = `'${quoteIdent(table.table)}'::regclass`;
  return `SELECT (pg_relation_size(${relation}) / current_setting('block_size')::bigint)::int AS blocks,
    (SELECT CASE WHEN relpages > 0 AND reltuples > 0 THEN reltuples / relpages ELSE 50 END
     FROM pg_class WHERE oid = ${relation})::float8 AS tuples_per_block`;
}
