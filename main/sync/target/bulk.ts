import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { SyncMapping } from '../../../shared/sync/index.js';
import { INDEX_LOOKUPS_ONLY, quoteIdent } from '../pg.js';
import { bulkPageMaxSql, bulkPageSql, heapBlocksSql, liveCountSql } from '../source/fetch-sql.js';
import type { ApplierDeps, PageOutcome } from './applier.js';
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
 * A large snapshot in slices of about `limit` rows each: heap block ranges of the source table, read in the same
 * snapshot, so every row it sees is in exactly one slice. Each slice is its own COPY pair, so no single COPY
 * statement grows with the table.
 */
async function heapSlices(
  source: pg.PoolClient,
  mapping: SyncMapping,
  live: number,
  limit: number,
): Promise<[number, number][]> {
  const { rows } = await source.query<{ blocks: number }>(heapBlocksSql(mapping));
  const blocks = Math.max(1, rows[0]?.blocks ?? 1);
  const step = Math.max(1, Math.floor((blocks * limit) / Math.max(live, 1)));
  const slices: [number, number][] = [];
  for (let from = 0; from < blocks; from += step) slices.push([from, from + step]);
  // Row versions the table gained after the size was read are invisible to the snapshot; the last slice is open
  // to the end anyway, so nothing depends on that reading.
  slices[slices.length - 1]![1] = 2 ** 32 - 1;
  return slices;
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
    const counted = await source.query<{ live: number; max_seq: string | null }>(
      liveCountSql(mapping, scope),
    );
    const live = counted.rows[0]?.live ?? 0;
    snapshot = live <= limit || deps.heapSweeps;
    const slices = snapshot && live > limit ? await heapSlices(source, mapping, live, limit) : [null];
    const format = (await sameEncoding(source, target)) ? ' (FORMAT binary)' : '';
    for (const blocks of slices) {
      const writer = target.query(copyFrom(`${copyIntoTargetSql(mapping, schema)}${format}`));
      const sql = bulkPageSql(mapping, scope, snapshot ? null : limit, blocks);
      await pipeline(source.query(copyTo(`COPY (${sql}) TO STDOUT${format}`)), writer);
      rows += writer.rowCount;
    }
    const max = snapshot
      ? counted
      : await source.query<{ max_seq: string | null }>(bulkPageMaxSql(mapping, scope, limit));
    pageMax = max.rows[0]?.max_seq == null ? null : Number(max.rows[0].max_seq);
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
    busy: false,
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
