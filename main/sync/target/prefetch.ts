import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { SyncMapping } from '../../../shared/sync/index.js';
import { INDEX_LOOKUPS_ONLY } from '../pg.js';
import { pageSql } from '../source/fetch-sql.js';
import type { FreshKeys } from './fresh.js';
import { copyIntoStageSql, stageDdl, stageTable } from './merge-sql.js';

/**
 * One of a lane's two target sessions. While one merges a page of a backlog, the next page is read from the source
 * and staged in the other, inside a transaction that stays open until that page locks its progress row there: the
 * source's part of a page, the staging and the merge then run at the same time instead of one after the other.
 * Work handed to a session in the background (staging a page, dropping it) runs in the order it was handed over.
 */
export class StageSession {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly stages = new Set<string>();
  /** Staging tables whose file has grown past STAGE_VACUUM_BYTES: vacuumed before their next use. */
  private readonly grown = new Set<string>();

  constructor(readonly client: pg.Client) {}

  queue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => {});
    return result;
  }

  /**
   * The session's staging table for `mapping`, ready for a page: created outside any transaction (so a rollback
   * keeps it), and vacuumed when it has grown. Called between transactions only.
   */
  async ensureStage(mapping: SyncMapping): Promise<void> {
    if (!this.stages.has(mapping.name)) {
      await this.client.query(stageDdl(mapping));
      this.stages.add(mapping.name);
    }
    if (this.grown.delete(mapping.name)) await this.client.query(`VACUUM ${stageTable(mapping)}`);
  }

  /**
   * The staging table's size after a merge. Merged rows are deleted, not truncated at commit (see `stageDdl`), and a
   * page's new rows go to new blocks until a VACUUM records the free ones: past this size the next use vacuums it
   * (3 ms for 2 MB of dead rows here, about every tenth page a session stages in a mass update; the merge does not
   * slow down before).
   */
  stageSize(mapping: SyncMapping, bytes: number): void {
    if (bytes > STAGE_VACUUM_BYTES) this.grown.add(mapping.name);
  }
}

const STAGE_VACUUM_BYTES = 2 * 1024 * 1024;

/**
 * The next page of a backlog, read and staged ahead. It was read before its own transaction locked the progress
 * row, so it may be used only if nothing else was applied to that (scope, mapping) in between: `afterXid` is the
 * transaction of the page that started it, and the progress row (which every page, bulk copy and fresh-row upsert
 * updates) must still carry that transaction's xmin when the next page locks it — or that of this engine's own
 * fresh-row upsert in between, whose keys the page then reads again. Rows applied beside a page by the side session
 * leave the progress row alone (the page holds it) and mark the side-writes row instead: `sideXid` must still match
 * it too. Rows named by notifications are read after the lock, so they stay newer than it.
 */
export interface Prefetch {
  readonly scope: string;
  readonly mapping: string;
  readonly from: number;
  readonly limit: number;
  readonly afterXid: string;
  /** The transaction that last wrote the (scope, mapping)'s side-writes row when it was started (side.ts). */
  readonly sideXid: string;
  /**
   * A safe watermark observed before the page was read: every id at or below it belongs to a transaction that had
   * finished by then, so the page's snapshot sees it. The page's checkpoint may move up to this, not further.
   */
  readonly watermark: number;
  /** Where it is staged, in an open transaction. */
  readonly session: StageSession;
  /** Resolves once the page is staged; rejects when the read or the staging failed (it is then fetched again). */
  readonly page: Promise<PageEnd>;
  /** Keys applied on their own after the page was read (`applyFresh`): its page reads them again. */
  readonly touched: FreshKeys | null;
  /** Give it up: its session's transaction is rolled back (once the staging has got that far). */
  readonly discard: () => void;
}

/** How many rows a page holds and its last row's sequence id. */
export interface PageEnd {
  readonly rows: number;
  readonly last: number | null;
  /** The page as it was staged (COPY text). */
  readonly text: Buffer;
}

/**
 * Read one page from the source with COPY, in its own transaction on a pooled connection, and hand the stream to
 * `consume` (straight into a staging table).
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
    sideXid: string;
    watermark: number;
  },
  session: StageSession,
): Prefetch {
  const sequenceField = page.mapping.columns.length;
  let dropped = false;
  let began = false;
  // Streamed from the source's COPY into the stage's as it arrives (the two overlap), and kept: the page's text says
  // where it ends and which named keys it may hold (`keysMaybeInPage`).
  const staged = session.queue(async () => {
    if (dropped) throw new Error('read-ahead page dropped');
    await session.ensureStage(page.mapping);
    began = true;
    await session.client.query('BEGIN');
    const chunks: Buffer[] = [];
    const keep = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done(null, chunk);
      },
    });
    // The COPY into the stage is started only once the source's has, and piped at once: a COPY stream reports a
    // failure of its session as an 'error' event, which must find the pipeline listening (a session ended meanwhile
    // by a reconnect left a COPY waiting for a server that was gone, and the page with it).
    const rows = await readPage(pool, page, async (reader) => {
      const writer = session.client.query(copyFrom(copyIntoStageSql(page.mapping)));
      await pipeline(reader, keep, writer);
      return writer.rowCount;
    });
    const text = Buffer.concat(chunks);
    const last = lastField([text], sequenceField);
    return { rows, last: last === null ? null : Number(last), text };
  });
  // A page that is never used is dropped without awaiting it.
  staged.catch(() => {});
  const discard = () => {
    dropped = true;
    void session
      .queue(async () => {
        if (began) await session.client.query('ROLLBACK');
      })
      .catch(() => {});
  };
  const { scope, from, limit, afterXid, sideXid, watermark } = page;
  const mapping = page.mapping.name;
  return {
    scope,
    mapping,
    from,
    limit,
    afterXid,
    sideXid,
    watermark,
    session,
    page: staged,
    touched: null,
    discard,
  };
}

/**
 * One field of the last row of a page in COPY text format (rows end with a newline, fields are separated by tabs;
 * both are escaped inside values, so raw bytes delimit).
 */
export function lastField(chunks: readonly Buffer[], index: number): string | null {
  let tail = Buffer.alloc(0);
  for (let i = chunks.length - 1; i >= 0; i--) {
    tail = Buffer.concat([chunks[i]!, tail]);
    if (tail.length < 2) continue;
    const start = tail.lastIndexOf(0x0a, tail.length - 2);
    if (start < 0 && i > 0) continue;
    return (
      tail
        .subarray(start + 1, tail.length - 1)
        .toString('utf8')
        .split('\t')[index] ?? null
    );
  }
  return null;
}
