import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { SyncMapping } from '../../../shared/sync/index.js';
import { quoteIdent } from '../pg.js';
import { pageSql } from '../source/fetch-sql.js';
import { copyIntoStageSql, mergeSql, stageDdl } from './merge-sql.js';
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
  readonly pageRows: number;
}

interface MergeRow {
  rows: number;
  max_seq: string | null;
  upserted: number;
  deleted: number;
  checkpoint: string;
}

/**
 * Applies one page of one (scope, mapping) in ONE target transaction: lock the progress row (a second worker on the
 * same scope skips instead of interleaving, so pages commit in fetch order and older data never lands over newer),
 * take a fresh watermark, stream the page with COPY source → staging table, merge, move the checkpoint, commit.
 */
export class TargetApplier {
  private readonly staged = new Set<string>();

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

  async applyPage(scope: string, mapping: SyncMapping, cursor: number): Promise<PageOutcome> {
    const { target, schema, pageRows } = this.deps;
    const started = performance.now();
    if (!this.staged.has(mapping.name)) {
      await target.query(stageDdl(mapping));
      this.staged.add(mapping.name);
    }
    const scopeLiteral = target.escapeLiteral(scope);
    const lock = (await target.query(
      `BEGIN; SELECT last_synced_sequence_id::text AS c FROM ${quoteIdent(schema)}.${quoteIdent(PROGRESS_TABLE)}
       WHERE scope = ${scopeLiteral} AND mapping_name = ${target.escapeLiteral(mapping.name)} FOR UPDATE SKIP LOCKED`,
    )) as unknown as pg.QueryResult<{ c: string }>[];
    const locked = lock[1]?.rows[0];
    if (!locked) {
      await target.query('ROLLBACK');
      return idle(true, cursor, started);
    }
    const checkpoint = Number(locked.c);
    try {
      const watermark = await this.deps.watermark();
      // Fetch from the checkpoint when that can settle it (rows above it were applied, or may have been missed);
      // otherwise continue from what this engine already applied.
      const fromCheckpoint = cursor <= checkpoint || watermark > checkpoint;
      const from = fromCheckpoint ? checkpoint : cursor;
      await this.copyPage(mapping, scope, from);
      const merged = await this.merge(mapping, { scopeLiteral, fromCheckpoint, watermark });
      const committedAt = Date.now();
      return {
        busy: false,
        from,
        rows: merged.rows,
        upserted: merged.upserted,
        deleted: merged.deleted,
        full: merged.rows >= pageRows,
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

  private async copyPage(mapping: SyncMapping, scope: string, from: number): Promise<void> {
    const source = await this.deps.sourcePool.connect();
    let healthy = false;
    try {
      const reader = source.query(
        copyTo(`COPY (${pageSql(mapping, scope, from, this.deps.pageRows)}) TO STDOUT`),
      );
      const writer = this.deps.target.query(copyFrom(copyIntoStageSql(mapping)));
      await pipeline(reader, writer);
      healthy = true;
    } finally {
      // A COPY cut short leaves the source session mid-protocol: drop that connection rather than reuse it.
      source.release(!healthy);
    }
  }

  private async merge(
    mapping: SyncMapping,
    p: { scopeLiteral: string; fromCheckpoint: boolean; watermark: number },
  ): Promise<MergeRow> {
    const { target, schema, pageRows } = this.deps;
    const sql = (dedupe: boolean) =>
      `SAVEPOINT merge;\n${mergeSql(mapping, { schema, limit: pageRows, dedupe, ...p })};\nCOMMIT`;
    try {
      return mergeRow(await target.query(sql(false)));
    } catch (error) {
      // 21000: the page carried one key twice (a shape the mappings rule out); collapse it and retry once.
      if ((error as { code?: string }).code !== '21000') throw error;
      await target.query('ROLLBACK TO SAVEPOINT merge');
      return mergeRow(await target.query(sql(true)));
    }
  }
}

function mergeRow(raw: unknown): MergeRow {
  const results = raw as pg.QueryResult<MergeRow>[];
  const row = results.find((r) => r.command === 'SELECT' && r.rows.length > 0)?.rows[0];
  if (!row) throw new Error('The merge statement returned no row: the progress row is missing.');
  return row;
}

function idle(busy: boolean, cursor: number, started: number): PageOutcome {
  return {
    busy,
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
