import type pg from 'pg';
import {
  BACKLOG_COUNT_LIMIT,
  DELETED_ROW_TABLE,
  type SequencedTable,
  type SequencerTableStats,
  type SyncMapping,
  TENANCY_PLACEHOLDER,
} from '../../../shared/sync/index.js';
import { bigintLiteral, quoteIdent, toNumber, uuidLiteral } from '../pg.js';

interface StatsRow {
  key: string;
  total: number;
  pending: number;
  nulls: number;
  min: string | null;
  max: string | null;
}

const toStats = (r: StatsRow): SequencerTableStats => ({
  total: r.total,
  pending: r.pending,
  nullSequenceId: r.nulls,
  minSequenceId: toNumber(r.min),
  maxSequenceId: toNumber(r.max),
});

const aggregate = `count(*)::int AS total,
  count(*) FILTER (WHERE t."shouldUpdateSequenceId" OR t."sequenceId" IS NULL)::int AS pending,
  count(*) FILTER (WHERE t."sequenceId" IS NULL)::int AS nulls,
  min(t."sequenceId")::text AS min, max(t."sequenceId")::text AS max`;

/** Upstream's per-table sequencer stats (status `sequencer.<table>`), plus DeletedRow broken down by table. */
export async function sequencerStats(
  pool: pg.Pool,
  tables: readonly SequencedTable[],
): Promise<{
  tables: Record<string, SequencerTableStats>;
  deletedByTable: (SequencerTableStats & { tableName: string })[];
}> {
  const perTable = tables
    .map(
      (t) =>
        `SELECT '${t.statusKey}' AS key, ${aggregate} FROM ${quoteIdent(t.table)} AS t${t.rowFilter ? ` WHERE ${t.rowFilter}` : ''}`,
    )
    .join('\nUNION ALL\n');
  const [tableRows, deletedRows] = await Promise.all([
    pool.query<StatsRow>(perTable),
    pool.query<StatsRow>(
      `SELECT t."tableName" AS key, ${aggregate} FROM ${quoteIdent(DELETED_ROW_TABLE)} AS t GROUP BY t."tableName" ORDER BY 1`,
    ),
  ]);
  return {
    tables: Object.fromEntries(tableRows.rows.map((r) => [r.key, toStats(r)])),
    deletedByTable: deletedRows.rows.map((r) => ({ tableName: r.key, ...toStats(r) })),
  };
}

export interface ScopeMappingStats {
  readonly min: number | null;
  readonly max: number | null;
  readonly pendingSequencer: number;
  /**
   * Rows (live and tombstones) above each given checkpoint, in the order the checkpoints were passed; counted up to
   * BACKLOG_COUNT_LIMIT of each kind.
   */
  readonly backlogRows: readonly number[];
  /** Per checkpoint: the count stopped at its limit, so more rows than `backlogRows` may wait. */
  readonly backlogRowsAtLeast: readonly boolean[];
}

/**
 * For one tenancy: each mapping's sequence-id range, rows waiting for the sequencer, and rows above each target's
 * checkpoint. Every term is an index probe or an index range count above a checkpoint, so it stays cheap while idle.
 *
 * The oldest sequence id is the exception: right after a mass update its index scan starts with the dead entry of
 * every row the update replaced, each checked against the heap until the first scan marks them dead (about half a
 * second of a core for 300,000 users, taken from the sync just as the backlog starts). So a mapping's oldest id is
 * looked up only when nothing of it waits — no row above any checkpoint, none flagged — or when `knownMin` has no
 * value yet; otherwise the last value is kept (it only moves when the oldest rows change). Still one statement.
 * Backlog counts stop at BACKLOG_COUNT_LIMIT for the same reason.
 */
export async function scopeStats(
  pool: pg.Pool,
  mappings: readonly SyncMapping[],
  tenancyId: string,
  checkpoints: ReadonlyMap<string, readonly number[]>,
  knownMin: (mapping: string) => number | null | undefined = () => undefined,
): Promise<Map<string, ScopeMappingStats>> {
  const tenancy = uuidLiteral(tenancyId);
  const selects = mappings.map((m) => {
    const live = `FROM ${quoteIdent(m.source.table)} AS src WHERE ${m.source.liveFilter.replaceAll(TENANCY_PLACEHOLDER, tenancy)}`;
    const dead = `FROM ${quoteIdent(DELETED_ROW_TABLE)} AS dr WHERE dr."tenancyId" = ${tenancy} AND dr."tableName" = '${m.source.tombstoneTableName}'`;
    const above = (c: number, rows: string, alias: string) =>
      `(SELECT count(*) FROM (SELECT 1 ${rows} AND ${alias}."sequenceId" > ${bigintLiteral(c)} LIMIT ${BACKLOG_COUNT_LIMIT}) AS n)`;
    // Per checkpoint, two entries: live rows and tombstones above it, each counted up to the limit.
    const backlog = (checkpoints.get(m.name) ?? []).flatMap((c) => [
      above(c, live, 'src'),
      above(c, dead, 'dr'),
    ]);
    const unknown = knownMin(m.name) === undefined;
    // The inner query is fenced (OFFSET 0) so its counts are computed once; the oldest-id subqueries are
    // uncorrelated, so Postgres runs them only when the CASE reaches them.
    return `SELECT mapping, max, pending, backlog::text[] AS backlog,
      CASE WHEN ${unknown} OR (pending = 0 AND 0 = ALL (backlog))
        THEN LEAST((SELECT min(src."sequenceId") ${live}), (SELECT min(dr."sequenceId") ${dead}))::text END AS min
    FROM (SELECT '${m.name}' AS mapping,
      GREATEST((SELECT max(src."sequenceId") ${live}), (SELECT max(dr."sequenceId") ${dead}))::text AS max,
      (SELECT count(*) ${live} AND src."shouldUpdateSequenceId")::int AS pending,
      ARRAY[${backlog.join(', ')}]::bigint[] AS backlog OFFSET 0) AS counted`;
  });
  const { rows } = await pool.query<{
    mapping: string;
    max: string | null;
    pending: number;
    backlog: string[];
    min: string | null;
  }>(selects.join('\nUNION ALL\n'));
  return new Map(
    rows.map((r) => {
      const looked =
        knownMin(r.mapping) === undefined || (r.pending === 0 && r.backlog.every((n) => n === '0'));
      return [
        r.mapping,
        {
          min: looked ? toNumber(r.min) : (knownMin(r.mapping) ?? null),
          max: toNumber(r.max),
          pendingSequencer: r.pending,
          ...backlogOf(r.backlog.map(Number)),
        },
      ];
    }),
  );
}

/**
 * The backlog of target `index` as it stands now. The rows were counted above the checkpoint the target had when the
 * count began, and none lies above `max`: once the checkpoint has reached `max`, all of them are in the mirror (a
 * count that started just before a page committed would otherwise show rows that are no longer waiting).
 */
export function backlogNow(
  stats: ScopeMappingStats | undefined,
  index: number,
  checkpoint: number,
): { readonly rows: number; readonly atLeast: boolean } {
  if (!stats || stats.max === null || checkpoint >= stats.max) return { rows: 0, atLeast: false };
  return { rows: stats.backlogRows[index] ?? 0, atLeast: stats.backlogRowsAtLeast[index] ?? false };
}

/** Pairs of (live rows, tombstones) per checkpoint, as counted, into rows and whether a count hit its limit. */
function backlogOf(counts: readonly number[]): Pick<ScopeMappingStats, 'backlogRows' | 'backlogRowsAtLeast'> {
  const backlogRows: number[] = [];
  const backlogRowsAtLeast: boolean[] = [];
  for (let i = 0; i < counts.length; i += 2) {
    backlogRows.push(counts[i]! + counts[i + 1]!);
    backlogRowsAtLeast.push(counts[i] === BACKLOG_COUNT_LIMIT || counts[i + 1] === BACKLOG_COUNT_LIMIT);
  }
  return { backlogRows, backlogRowsAtLeast };
}

/** Each mapping's highest sequence id for one tenancy (live rows and tombstones): index probes only. */
export async function scopeHeads(
  pool: pg.Pool,
  mappings: readonly SyncMapping[],
  tenancyId: string,
): Promise<Map<string, number>> {
  const tenancy = '$1::uuid';
  const selects = mappings.map(
    (m) => `SELECT '${m.name}' AS mapping, GREATEST(
      (SELECT max(src."sequenceId") FROM ${quoteIdent(m.source.table)} AS src
       WHERE ${m.source.liveFilter.replaceAll(TENANCY_PLACEHOLDER, tenancy)}),
      (SELECT max(dr."sequenceId") FROM ${quoteIdent(DELETED_ROW_TABLE)} AS dr
       WHERE dr."tenancyId" = ${tenancy} AND dr."tableName" = '${m.source.tombstoneTableName}'))::text AS head`,
  );
  const { rows } = await pool.query<{ mapping: string; head: string | null }>({
    name: `hexclave_sync_heads_${mappings.length}`,
    text: selects.join('\nUNION ALL\n'),
    values: [tenancyId],
  });
  return new Map(rows.map((r) => [r.mapping, r.head === null ? -1 : Number(r.head)]));
}
