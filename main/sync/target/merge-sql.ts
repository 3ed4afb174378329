import { SYNC_METADATA_TABLE, type SyncMapping } from '../../../shared/sync/index.js';
import { bigintLiteral, quoteIdent } from '../pg.js';
import { PAGE_EXTRA_COLUMNS } from '../source/fetch-sql.js';
import { PROGRESS_TABLE } from './schema.js';

export const stageTable = (mapping: SyncMapping) =>
  `pg_temp.${quoteIdent(`_hexclave_stage_${mapping.name}`)}`;

/** Session-local staging table: nullable copies of the mapping's columns plus the page columns. */
export function stageDdl(mapping: SyncMapping): string {
  const columns = mapping.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`);
  return `CREATE TEMP TABLE IF NOT EXISTS ${quoteIdent(`_hexclave_stage_${mapping.name}`)} (
  ${[...columns, 'sequence_id bigint', 'is_deleted boolean', 'superseded boolean'].join(',\n  ')}
) ON COMMIT DELETE ROWS`;
}

export function copyIntoStageSql(mapping: SyncMapping): string {
  const columns = [...mapping.columns.map((c) => c.name), ...PAGE_EXTRA_COLUMNS].map(quoteIdent);
  return `COPY ${stageTable(mapping)} (${columns.join(', ')}) FROM STDIN`;
}

export interface MergeParameters {
  readonly schema: string;
  /** Scope literal (already escaped) and mapping name. */
  readonly scopeLiteral: string;
  /** True when the page was fetched from the checkpoint itself, so it may move the checkpoint. */
  readonly fromCheckpoint: boolean;
  readonly watermark: number;
  readonly limit: number;
  /** Collapse duplicate keys in the page first (only needed if a page ever carries one key twice). */
  readonly dedupe: boolean;
}

/**
 * One statement applies a staged page and moves the checkpoint, inside the caller's transaction:
 * - tombstones delete their row unless superseded (the key lives again in the source);
 * - live rows upsert, and rows whose content is unchanged are not rewritten (re-applied pages are no-ops);
 * - the checkpoint moves only for a page fetched from the checkpoint: to the page's last sequence id when the
 *   page was full, else to the safe watermark, never past the watermark and never backwards;
 * - upstream's `_stack_sync_metadata` gets the same value (GREATEST, as upstream writes it).
 */
export function mergeSql(mapping: SyncMapping, p: MergeParameters): string {
  const qualify = (table: string) => `${quoteIdent(p.schema)}.${quoteIdent(table)}`;
  const target = qualify(mapping.targetTable);
  const stage = stageTable(mapping);
  const keys = mapping.primaryKey.map(quoteIdent);
  const columns = mapping.columns.map((c) => quoteIdent(c.name));
  const updatable = columns.filter((c) => !keys.includes(c));
  const keyMatch = keys.map((k) => `t.${k} = s.${k}`).join(' AND ');
  const liveRows = p.dedupe
    ? `(SELECT DISTINCT ON (${keys.join(', ')}) * FROM ${stage} WHERE NOT is_deleted ORDER BY ${keys.join(', ')}, sequence_id DESC) AS s`
    : `${stage} AS s WHERE NOT s.is_deleted`;
  const conflict = updatable.length
    ? `DO UPDATE SET ${updatable.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
      WHERE (${updatable.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${updatable.map((c) => `EXCLUDED.${c}`).join(', ')})`
    : 'DO NOTHING';
  const watermark = bigintLiteral(p.watermark);
  const nextCheckpoint = p.fromCheckpoint
    ? `GREATEST(pr.last_synced_sequence_id,
         CASE WHEN page.rows >= ${p.limit} THEN LEAST(page.max_seq, ${watermark}) ELSE ${watermark} END)`
    : 'pr.last_synced_sequence_id';
  const mappingLiteral = `'${mapping.name}'`;
  return `WITH deleted AS (
  DELETE FROM ${target} AS t USING ${stage} AS s
  WHERE s.is_deleted AND NOT s.superseded AND ${keyMatch}
  RETURNING 1
), upserted AS (
  INSERT INTO ${target} AS t (${columns.join(', ')})
  SELECT ${columns.map((c) => `s.${c}`).join(', ')} FROM ${liveRows}
  ON CONFLICT (${keys.join(', ')}) ${conflict}
  RETURNING 1
), page AS (
  SELECT count(*)::int AS rows, max(sequence_id) AS max_seq FROM ${stage}
), counts AS (
  SELECT (SELECT count(*) FROM upserted)::int AS upserted, (SELECT count(*) FROM deleted)::int AS deleted
), next AS (
  SELECT ${nextCheckpoint} AS checkpoint
  FROM page, ${qualify(PROGRESS_TABLE)} AS pr
  WHERE pr.scope = ${p.scopeLiteral} AND pr.mapping_name = ${mappingLiteral}
), progress AS (
  UPDATE ${qualify(PROGRESS_TABLE)} AS pr
  SET last_synced_sequence_id = next.checkpoint,
      rows_applied = pr.rows_applied + counts.upserted + counts.deleted,
      updated_at = now()
  FROM next, counts
  WHERE pr.scope = ${p.scopeLiteral} AND pr.mapping_name = ${mappingLiteral}
  RETURNING 1
), metadata AS (
  INSERT INTO ${qualify(SYNC_METADATA_TABLE)} AS m (mapping_name, last_synced_sequence_id, updated_at)
  SELECT ${mappingLiteral}, next.checkpoint, now() FROM next
  ON CONFLICT (mapping_name) DO UPDATE
  SET last_synced_sequence_id = GREATEST(m.last_synced_sequence_id, EXCLUDED.last_synced_sequence_id), updated_at = now()
  RETURNING 1
)
SELECT page.rows, page.max_seq::text AS max_seq, counts.upserted, counts.deleted, next.checkpoint::text AS checkpoint,
       (SELECT count(*) FROM progress)::int AS progressed, (SELECT count(*) FROM metadata)::int AS recorded
FROM page, counts, next`;
}
