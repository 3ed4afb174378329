import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { SyncMapping } from '../../../shared/sync/index.js';
import { HASH_JOINS, INDEX_LOOKUPS_ONLY, quoteIdent } from '../pg.js';
import { bulkPageMaxSql, bulkPageSql, heapShapeSql, liveCountSql } from '../source/fetch-sql.js';
import type { ApplierDeps, PageOutcome } from './applier.js';
import { withIndexesDeferred } from './deferred-indexes.js';
import { bulkCheckpointSql, copyIntoTargetSql } from './merge-sql.js';

export async function targetIsEmpty(deps: ApplierDeps, mapping: SyncMapping): Promise<boolean> {
  const table = `${quoteIdent(deps.schema)}.${quoteIdent(mapping.targetTable)}`;
  const { rows } = await deps.target.query<{ empty: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`,
  );
  return rows[0]!.empty;
}

/**
 * The snapshot travels in COPY's binary format when both servers store text in the same encoding: every column is
 * cast to the mirror's declared type on the source, and the binary forms of those types (uuid, text, boolean,
 * integers, timestamp, jsonb) are the same on every supported server, so the target skips parsing text back into
 * values (bench:sync, 2 cores, 100,000 users: about a fifth of the target's CPU for the backfill). Binary text is
 * not converted between encodings, so servers that differ get the text format, which is.
 */
async function sameEncoding(source: pg.PoolClient, target: pg.ClientBase): Promise<boolean> {
  const encoding = 'SELECT current_setting($1) AS e';
  const [a, b] = await Promise.all(
    [source, target].map((c) => c.query<{ e: string }>(encoding, ['server_encoding'])),
  );
  return a!.rows[0]!.e === b!.rows[0]!.e;
}

/**
 * How a first page is read: one COPY (null) or heap block ranges; whether it is a snapshot of every live row (else
 * the first `bulkPageRows` stamped ones), and then the highest sequence id it holds.
 */
interface FirstPagePlan {
  readonly slices: readonly ([number, number] | null)[];
  readonly snapshot: boolean;
  readonly maxSeq: string | null;
  /** One read of the whole heap with the mapping's `snapshotJoin`, planned as a hash join. */
  readonly hashJoin?: boolean;
}

/** Before PostgreSQL 14 (no block ranges): a snapshot only when every live row fits one page. */
async function countedPlan(
  source: pg.PoolClient,
  mapping: SyncMapping,
  scope: string,
  limit: number,
): Promise<FirstPagePlan> {
  const counted = await source.query<{ live: number; max_seq: string | null }>(liveCountSql(mapping, scope));
  const snapshot = (counted.rows[0]?.live ?? 0) <= limit;
  return { slices: [null], snapshot, maxSeq: snapshot ? (counted.rows[0]?.max_seq ?? null) : null };
}

/** Past the last heap block of any table. */
const WHOLE_HEAP = 2 ** 32 - 1;

/**
 * A snapshot of more than `limit` live rows in slices of about `limit` rows each: heap block ranges of the source
 * table, read in the same snapshot, so every row it sees is in exactly one slice. Each slice is its own COPY pair,
 * so no single COPY statement grows with the table. The slice size comes from the table's rows per block as its
 * statistics have it (a wrong guess only changes how many slices there are), so the live rows are not counted
 * first: at a million users that count took 0.7 s of the snapshot. Before the table was ever analyzed they are.
 */
async function snapshotPlan(
  source: pg.PoolClient,
  mapping: SyncMapping,
  scope: string,
  limit: number,
): Promise<FirstPagePlan> {
  const { rows } = await source.query<{
    blocks: number;
    rows_per_block: number | null;
    more: boolean;
    max_seq: string | null;
  }>(heapShapeSql(mapping, scope, limit));
  const shape = rows[0]!;
  if (!shape.more) return { slices: [null], snapshot: true, maxSeq: shape.max_seq };
  if (mapping.source.snapshotJoin)
    return { slices: [[0, WHOLE_HEAP]], snapshot: true, maxSeq: shape.max_seq, hashJoin: true };
  const blocks = Math.max(1, shape.blocks);
  let perBlock = shape.rows_per_block;
  if (perBlock === null) {
    const counted = await source.query<{ live: number }>(liveCountSql(mapping, scope));
    perBlock = (counted.rows[0]?.live ?? 0) / blocks;
  }
  const step = Math.max(1, Math.floor(limit / Math.max(perBlock, 1e-9)));
  const slices: [number, number][] = [];
  for (let from = 0; from < blocks; from += step) slices.push([from, from + step]);
  // Row versions the table gained after the size was read are invisible to the snapshot; the last slice is open
  // to the end anyway, so nothing depends on that reading.
  slices[slices.length - 1]![1] = WHOLE_HEAP;
  return { slices, snapshot: true, maxSeq: shape.max_seq };
}

/**
 * First backfill into an empty table, inside the caller's transaction (progress row locked): COPY the live rows
 * straight into it — there is nothing to merge with, tombstones cannot delete anything from an empty table, and
 * live rows never share a key — reading the page and its last sequence id in ONE REPEATABLE READ snapshot taken
 * after the watermark W was observed. Then move the checkpoint and commit.
 *
 * When the table has at most `bulkPageRows` live rows, or the source can scan block ranges (PostgreSQL 14+; then in
 * slices of about `bulkPageRows`), the page is a snapshot of ALL of them, including rows the
 * sequencer has not stamped yet (the first sync of an existing project: none is). The checkpoint then moves to W:
 * every row stamped ≤ W by a committed transaction is in the snapshot, and every row not in it — unstamped, or
 * changed, created or deleted after it — will carry a sequence id above W once stamped, and come through the
 * ordinary pages (those already copied come again unchanged and rewrite nothing). The mirror is complete without
 * waiting for the sequencer to stamp the whole table. Without block ranges, larger tables take their first
 * `bulkPageRows` stamped rows by sequence id instead, and page on from there.
 */
export async function bulkPage(
  deps: ApplierDeps,
  page: {
    mapping: SyncMapping;
    scope: string;
    watermark: number;
    started: number;
    noBulk: Set<string>;
    /** Runs in the transaction just before its commit (fresh rows named meanwhile); returns rows it changed. */
    beforeCommit?: () => Promise<number>;
  },
): Promise<PageOutcome> {
  const { target, schema, bulkPageRows: limit } = deps;
  const { mapping, scope } = page;
  const source = await deps.sourcePool.connect();
  let healthy = false;
  let rows = 0;
  let pageMax: number | null = null;
  let snapshot = false;
  try {
    await source.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${INDEX_LOOKUPS_ONLY}`);
    const plan = deps.heapSweeps
      ? await snapshotPlan(source, mapping, scope, limit)
      : await countedPlan(source, mapping, scope, limit);
    snapshot = plan.snapshot;
    const format = (await sameEncoding(source, target)) ? ' (FORMAT binary)' : '';
    const copyAll = async () => {
      if (plan.hashJoin) await source.query(HASH_JOINS);
      for (const blocks of plan.slices) {
        const writer = target.query(copyFrom(`${copyIntoTargetSql(mapping, schema)}${format}`));
        const join = plan.hashJoin ? 'snapshot' : 'live';
        const sql = bulkPageSql(mapping, scope, snapshot ? null : limit, blocks, join);
        await pipeline(source.query(copyTo(`COPY (${sql}) TO STDOUT${format}`)), writer);
        rows += writer.rowCount;
      }
    };
    // Only a snapshot of more than a page builds the indexes afterwards. Up to a page of rows costs the indexes
    // little, and the DDL with its exclusive lock would then be most of the work: every empty mapping's first page
    // rebuilt its indexes, and a reader polling a small mirror table could hold a page up for the lock wait.
    if (plan.slices[0] !== null) await withIndexesDeferred(target, schema, mapping.targetTable, copyAll);
    else await copyAll();
    const max = snapshot
      ? plan.maxSeq
      : (await source.query<{ max_seq: string | null }>(bulkPageMaxSql(mapping, scope, limit))).rows[0]
          ?.max_seq;
    pageMax = max == null ? null : Number(max);
    await source.query('COMMIT');
    healthy = true;
  } catch (error) {
    // Live rows never share a key, but if some source ever breaks that, merge instead of failing forever.
    if ((error as { code?: string }).code === '23505') page.noBulk.add(mapping.name);
    throw error;
  } finally {
    // A COPY cut short leaves the source session mid-protocol: drop that connection rather than reuse it.
    source.release(!healthy);
  }
  const full = !snapshot && rows >= limit;
  const { rows: result } = await target.query<{ checkpoint: string }>({
    name: `hexclave_sync_bulk_${mapping.name}`,
    text: bulkCheckpointSql(mapping, schema),
    values: [scope, page.watermark, full, pageMax ?? -1, rows],
  });
  const fresh = (await page.beforeCommit?.()) ?? 0;
  await target.query('COMMIT');
  return {
    from: -1,
    rows,
    upserted: rows + fresh,
    deleted: 0,
    full,
    pageMax,
    checkpointBefore: -1,
    checkpoint: Number(result[0]!.checkpoint),
    committedAt: Date.now(),
    ms: performance.now() - page.started,
  };
}
