import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { SyncMapping } from '../../../shared/sync/index.js';
import { quoteIdent } from '../pg.js';
import { bulkPageMaxSql, bulkPageSql, pageJsonSql, pageSql } from '../source/fetch-sql.js';
import {
  bulkCheckpointSql,
  copyIntoStageSql,
  copyIntoTargetSql,
  mergeSql,
  stageDdl,
  stageJsonSql,
} from './merge-sql.js';
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
      if (!small && from === -1 && !this.noBulk.has(mapping.name) && (await this.targetIsEmpty(mapping))) {
        return await this.bulkPage(mapping, scope, watermark, started);
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

  private async targetIsEmpty(mapping: SyncMapping): Promise<boolean> {
    const table = `${quoteIdent(this.deps.schema)}.${quoteIdent(mapping.targetTable)}`;
    const { rows } = await this.deps.target.query<{ empty: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`,
    );
    return rows[0]!.empty;
  }

  /**
   * First backfill into an empty table: COPY the live rows straight into it (nothing to merge with), reading the
   * page and its last sequence id in one REPEATABLE READ snapshot taken after the watermark was observed.
   */
  private async bulkPage(
    mapping: SyncMapping,
    scope: string,
    watermark: number,
    started: number,
  ): Promise<PageOutcome> {
    const { target, schema, bulkPageRows: limit } = this.deps;
    const source = await this.deps.sourcePool.connect();
    let healthy = false;
    let rows = 0;
    let pageMax: number | null = null;
    try {
      await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const writer = target.query(copyFrom(copyIntoTargetSql(mapping, schema)));
      await pipeline(source.query(copyTo(`COPY (${bulkPageSql(mapping, scope, limit)}) TO STDOUT`)), writer);
      rows = writer.rowCount;
      healthy = true;
      const max = await source.query<{ max_seq: string | null }>(bulkPageMaxSql(mapping, scope, limit));
      pageMax = max.rows[0]?.max_seq == null ? null : Number(max.rows[0].max_seq);
      await source.query('COMMIT');
    } catch (error) {
      // Live rows never share a key, but if some source ever breaks that, merge instead of failing forever.
      if ((error as { code?: string }).code === '23505') this.noBulk.add(mapping.name);
      healthy = false;
      throw error;
    } finally {
      source.release(!healthy);
    }
    const full = rows >= limit;
    const { rows: result } = await target.query<{ checkpoint: string }>({
      name: `hexclave_sync_bulk_${mapping.name}`,
      text: bulkCheckpointSql(mapping, schema),
      values: [scope, watermark, full, pageMax ?? -1, rows],
    });
    await target.query('COMMIT');
    return {
      busy: false,
      from: -1,
      rows,
      upserted: rows,
      deleted: 0,
      full,
      pageMax,
      checkpointBefore: -1,
      checkpoint: Number(result[0]!.checkpoint),
      committedAt: Date.now(),
      ms: performance.now() - started,
    };
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
