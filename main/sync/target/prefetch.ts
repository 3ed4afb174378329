import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { SyncMapping } from '../../../shared/sync/index.js';
import { INDEX_LOOKUPS_ONLY } from '../pg.js';
import { pageSql } from '../source/fetch-sql.js';
import type { FreshKeys } from './fresh.js';
import { copyIntoStageSql } from './merge-sql.js';

/**
 * The next page of a backlog, read from the source while the target merges the current one: the source's part of a
 * page (the fetch) and the target's (the merge) then run at the same time instead of one after the other.
 *
 * It was read before its own transaction locked the progress row, so it may be used only if nothing else was
 * applied to that (scope, mapping) in between: `afterXid` is the transaction of the page that started it, and the
 * progress row (which every page, bulk copy and fresh-row upsert updates) must still carry that transaction's xmin
 * when the next page locks it — or that of this engine's own fresh-row upsert in between, whose keys the page then
 * reads again. Rows named by notifications are read after the lock, so they stay newer than it.
 */
export interface Prefetch {
  readonly scope: string;
  readonly mapping: string;
  readonly from: number;
  readonly limit: number;
  readonly afterXid: string;
  /**
   * A safe watermark observed before the page was read: every id at or below it belongs to a transaction that had
   * finished by then, so the page's snapshot sees it. The page's checkpoint may move up to this, not further.
   */
  readonly watermark: number;
  /** The page in COPY text format; rejects when the read failed (the page is then fetched again). */
  readonly chunks: Promise<Buffer[]>;
  /** Keys applied on their own after the page was read (`applyFresh`): its page reads them again. */
  readonly touched: FreshKeys | null;
}

/**
 * Read one page from the source with COPY, in its own transaction on a pooled connection, and hand the stream to
 * `consume` (straight into the target's staging table, or into memory for a prefetch).
 */
export async function readPage<T>(
  pool: pg.Pool,
  page: { scope: string; mapping: SyncMapping; from: number; limit: number },
  consume: (stream: NodeJS.ReadableStream) => Promise<T>,
): Promise<T> {
  const source = await pool.connect();
  let healthy = false;
  try {
    await source.query(`BEGIN; ${INDEX_LOOKUPS_ONLY}`);
    const result = await consume(
      source.query(copyTo(`COPY (${pageSql(page.mapping, page.scope, page.from, page.limit)}) TO STDOUT`)),
    );
    await source.query('COMMIT');
    healthy = true;
    return result;
  } finally {
    // A COPY cut short leaves the source session mid-protocol: drop that connection rather than reuse it.
    source.release(!healthy);
  }
}

export function startPrefetch(
  pool: pg.Pool,
  page: {
    scope: string;
    mapping: SyncMapping;
    from: number;
    limit: number;
    afterXid: string;
    watermark: number;
  },
): Prefetch {
  const chunks = readPage(pool, page, async (stream) => {
    const read: Buffer[] = [];
    for await (const chunk of stream) read.push(chunk as Buffer);
    return read;
  });
  // Unused prefetches are dropped without awaiting them.
  chunks.catch(() => {});
  const { scope, from, limit, afterXid, watermark } = page;
  return { scope, mapping: page.mapping.name, from, limit, afterXid, watermark, chunks, touched: null };
}

/** Stage a prefetched page, as the fetch would have. */
export async function stagePrefetched(
  target: pg.Client,
  mapping: SyncMapping,
  chunks: Buffer[],
): Promise<void> {
  await pipeline(Readable.from(chunks), target.query(copyFrom(copyIntoStageSql(mapping))));
}
