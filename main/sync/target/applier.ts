import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { SyncMapping } from '../../../shared/sync/index.js';
import { quoteIdent } from '../pg.js';
import { pageJsonSql, pageSql } from '../source/fetch-sql.js';
import { bulkPage, targetIsEmpty } from './bulk.js';
import { copyIntoStageSql, mergeSql, stageDdl, stageJsonSql } from './merge-sql.js';
import { PROGRESS_TABLE } from './schema.js';

export interface PageOutcome {
  /** Another worker holds this (scope, mapping): nothing was done. */
  readonly busy: boolean;
  readonly from: number;
  readonly rows: number;
  readonly upserted: number;
  readonly deleted: number;
  readonly full: boolean;
  readonly pageMax: number | null;
  readonly checkpointBefore: number;
  readonly checkpoint: number;
  readonly committedAt: number;
  readonly ms: number;
}

export interface ApplierDeps {
  readonly target: pg.Client;
  readonly schema: string;
  readonly sourcePool: pg.Pool;
  /** A fresh safe watermark: observed after this call began. */
  readonly watermark: () => Promise<number>;
  /** Rows per page when streaming with COPY (backfill). */
  readonly pageRows: number;
  /** Rows of the first page into an empty mirror table (copied straight in, no merge). */
  readonly bulkPageRows: number;
  /** Source sequence step: (head − from) ÷ step bounds the rows a page can hold. */
  readonly sequenceIncrement: number;
}

interface MergeRow {
  rows: number;
  max_seq: string | null;
  upserted: number;
  deleted: number;
  checkpoint: string;
}

/** Pages that can hold at most this many rows travel as one JSON value through prepared statements. */
export const SMALL_PAGE_ROWS = 500;

/**
 * Applies one page of one (scope, mapping) in ONE target transaction: lock the progress row (a second worker on the
 * same scope skips instead of interleaving, so pages commit in fetch order and older data never lands over newer),
 * take a fresh watermark, stage the page (COPY source → staging table for backfills, one JSON value for small
 * live batches), merge, move the checkpoint, commit.
 */
export class TargetApplier {
  private readonly staged = new Set<string>();
  /** Mappings whose bulk page hit a duplicate key once: they always merge from now on. */
  private readonly noBulk = new Set<string>();

  constructor(private readonly deps: ApplierDeps) {}

  /** Make sure progress rows exist and return the checkpoints (mapping → last synced id). */
  async prepareScope(scope: string, mappings: readonly SyncMapping[]): Promise<Map<string, number>> {
    const { target, schema } = this.deps;
    const table = `${quoteIdent(schema)}.${quoteIdent(PROGRESS_TABLE)}`;
    await target.query(
      `INSERT INTO ${table} (scope, mapping_name) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
      [scope, mappings.map((m) => m.name)],
    );
    const { rows } = await target.query<{ mapping_name: string; c: string }>(
      `SELECT mapping_name, last_synced_sequence_id::text AS c FROM ${table} WHERE scope = $1`,
      [scope],
    );
    return new Map(rows.map((r) => [r.mapping_name, Number(r.c)]));
  }

  /** `head`: the mapping's highest source id when last probed (sizes the page; not relied on for correctness). */
  async applyPage(scope: string, mapping: SyncMapping, cursor: number, head: number): Promise<PageOutcome> {
    const { target, schema } = this.deps;
    const started = performance.now();
    if (!this.staged.has(mapping.name)) {
      await target.query(stageDdl(mapping));
      this.staged.add(mapping.name);
    }
    const lock = (await target.query(
      `BEGIN; SELECT last_synced_sequence_id::text AS c FROM ${quoteIdent(schema)}.${quoteIdent(PROGRESS_TABLE)}
       WHERE scope = ${target.escapeLiteral(scope)} AND mapping_name = ${target.escapeLiteral(mapping.name)}
       FOR UPDATE SKIP LOCKED`,
    )) as unknown as pg.QueryResult<{ c: string }>[];
    const locked = lock[1]?.rows[0];
    if (!locked) {
      await target.query('ROLLBACK');
      return idle(cursor, started);
    }
    const checkpoint = Number(locked.c);
    try {
      const watermark = await this.deps.watermark();
      // Fetch from the checkpoint when that can settle it (rows above it were applied, or may have been missed);
      // otherwise continue from what this engine already applied.
      const fromCheckpoint = cursor <= checkpoint || watermark > checkpoint;
      const from = fromCheckpoint ? checkpoint : cursor;
      const small = (head - from) / this.deps.sequenceIncrement <= SMALL_PAGE_ROWS;
      if (
        !small &&
        from === -1 &&
        !this.noBulk.has(mapping.name) &&
        (await targetIsEmpty(this.deps, mapping))
      ) {
        return await bulkPage(this.deps, { mapping, scope, watermark, started, noBulk: this.noBulk });
      }
      const limit = small ? SMALL_PAGE_ROWS : this.deps.pageRows;
      if (small) await this.stageJson(mapping, scope, from, limit);
      else await this.stageCopy(mapping, scope, from, limit);
      const merged = await this.merge(mapping, [scope, watermark, fromCheckpoint, limit]);
      const committedAt = Date.now();
      return {
        busy: false,
        from,
        rows: merged.rows,
        upserted: merged.upserted,
        deleted: merged.deleted,
        full: merged.rows >= limit,
        pageMax: merged.max_seq === null ? null : Number(merged.max_seq),
        checkpointBefore: checkpoint,
        checkpoint: Number(merged.checkpoint),
        committedAt,
        ms: performance.now() - started,
      };
    } catch (error) {
      await target.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  private async stageCopy(mapping: SyncMapping, scope: string, from: number, limit: number): Promise<void> {
    const source = await this.deps.sourcePool.connect();
    let healthy = false;
    try {
      const reader = source.query(copyTo(`COPY (${pageSql(mapping, scope, from, limit)}) TO STDOUT`));
      const writer = this.deps.target.query(copyFrom(copyIntoStageSql(mapping)));
      await pipeline(reader, writer);
      healthy = true;
    } finally {
      // A COPY cut short leaves the source session mid-protocol: drop that connection rather than reuse it.
      source.release(!healthy);
    }
  }

  private async stageJson(mapping: SyncMapping, scope: string, from: number, limit: number): Promise<void> {
    const { rows } = await this.deps.sourcePool.query<{ rows: string }>({
      name: `hexclave_sync_page_${mapping.name}`,
      text: pageJsonSql(mapping),
      values: [scope, from, limit],
    });
    await this.deps.target.query({
      name: `hexclave_sync_stage_${mapping.name}`,
      text: stageJsonSql(mapping),
      values: [rows[0]!.rows],
    });
  }

  private async merge(mapping: SyncMapping, values: readonly unknown[]): Promise<MergeRow> {
    const { target, schema } = this.deps;
    const run = async (dedupe: boolean) => {
      const { rows } = await target.query<MergeRow>({
        name: `hexclave_sync_merge_${mapping.name}${dedupe ? '_dedupe' : ''}`,
        text: mergeSql(mapping, schema, dedupe),
        values: [...values],
      });
      await target.query('COMMIT');
      return rows[0]!;
    };
    try {
      await target.query('SAVEPOINT merge');
      return await run(false);
    } catch (error) {
      // 21000: the page carried one key twice (a shape the mappings rule out); collapse it and retry once.
      if ((error as { code?: string }).code !== '21000') throw error;
      await target.query('ROLLBACK TO SAVEPOINT merge');
      return run(true);
    }
  }
}

function idle(cursor: number, started: number): PageOutcome {
  return {
    busy: true,
    from: cursor,
    rows: 0,
    upserted: 0,
    deleted: 0,
    full: false,
    pageMax: null,
    checkpointBefore: cursor,
    checkpoint: cursor,
    committedAt: Date.now(),
    ms: performance.now() - started,
  };
}
