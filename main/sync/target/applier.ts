import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SyncMapping } from '../../../shared/sync/index.js';
import { quoteIdent } from '../pg.js';
import { pageJsonSql } from '../source/fetch-sql.js';
import type { StageClock } from '../stage-clock.js';
import { bulkPage, targetIsEmpty } from './bulk.js';
import {
  type FreshKeys,
  type FreshSource,
  keysMaybeInPage,
  mergeFreshKeys,
  readFresh,
  stageFresh,
  upsertFresh,
} from './fresh.js';
import { clearStageSql, copyIntoStageSql, mergeSql, stageJsonSql, stageTable } from './merge-sql.js';
import { type PageEnd, type Prefetch, readPage, StageSession, startPrefetch } from './prefetch.js';
import { PROGRESS_TABLE, SIDE_WRITES_TABLE } from './schema.js';
import { SideWriter } from './side.js';

/** A (scope, mapping) whose progress row another worker holds, as last committed there. */
export interface HeldElsewhere {
  readonly checkpoint: number;
  /** The transaction that last wrote the row: it changes with every page the other worker commits. */
  readonly rowXid: string;
}

export interface PageOutcome {
  /** Another worker holds this (scope, mapping): nothing was done. The row as that worker last committed it. */
  readonly held?: HeldElsewhere;
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
  /** The target session a page runs in (a lane has two; see `StageSession`). */
  readonly target: pg.Client;
  readonly schema: string;
  readonly sourcePool: pg.Pool;
  /** A fresh safe watermark: observed after this call began. */
  readonly watermark: () => Promise<number>;
  /** Rows per page when streaming with COPY (backfill). */
  readonly pageRows: number;
  /** Rows of the first page into an empty mirror table (copied straight in, no merge), and of each COPY of it. */
  readonly bulkPageRows: number;
  /** The source has TID range scans (PostgreSQL 14+): a first snapshot of any size is copied in block ranges. */
  readonly heapSweeps: boolean;
  /** Source sequence step: (head − from) ÷ step bounds the rows a page can hold. */
  readonly sequenceIncrement: number;
  readonly clock: StageClock;
}

interface Locked {
  readonly checkpoint: number;
  /** The transaction that last wrote the progress row, and this one (32-bit xids, as text). */
  readonly rowXid: string;
  readonly ownXid: string;
  /** The transaction that last wrote the side-writes row ('' when there is none yet; see side.ts). */
  readonly sideXid: string;
}

interface MergeRow {
  rows: number;
  max_seq: string | null;
  upserted: number;
  deleted: number;
  checkpoint: string;
  progress_xid: string | null;
  stage_bytes: number;
}

/** Pages that can hold at most this many rows travel as one JSON value through prepared statements. */
export const SMALL_PAGE_ROWS = 500;

/**
 * How long one page of a backlog should take. Longer pages amortise their round trips and planning a little
 * better, but a change named by a notification waits for the page in progress to commit: the page size follows
 * the measured rows per millisecond so that a page takes about this long, and holds at least MIN_PAGE_ROWS while
 * rows cost what they usually do.
 */
const PAGE_TARGET_MS = 25;
const MIN_PAGE_ROWS = 1000;
/**
 * Pages shrink below MIN_PAGE_ROWS, down to FLOOR_PAGE_ROWS, only while rows cost so much that a MIN_PAGE_ROWS page
 * would take more than SLOW_PAGE_MS: at a million users, right after the app's own mass update had pushed the
 * mirror's and the source's pages out of shared buffers, 1,000-row pages took 70–410 ms for four seconds, and every
 * change named meanwhile waited for them. The first page of a backlog (no full page for IDLE_PAGE_MS) holds
 * FLOOR_PAGE_ROWS: it is read and staged before it merges, with no page ahead of it, and the last measurement may
 * predate whatever emptied the caches (a 1,000-row first page took 350–410 ms there; growth back is immediate).
 */
const SLOW_PAGE_MS = 2 * PAGE_TARGET_MS;
const FLOOR_PAGE_ROWS = 100;
const IDLE_PAGE_MS = 1000;

/** Rows of a mapping's next backlog page after a full page of `rows` took `ms`. */
export function nextPageRows(rows: number, ms: number, maxRows: number): number {
  const msPerRow = ms / rows;
  const paced = Math.round(PAGE_TARGET_MS / msPerRow);
  const floor = MIN_PAGE_ROWS * msPerRow > SLOW_PAGE_MS ? FLOOR_PAGE_ROWS : MIN_PAGE_ROWS;
  return Math.min(maxRows, Math.max(floor, paced));
}

/**
 * Applies one page of one (scope, mapping) in ONE target transaction: lock the progress row (a second worker on the
 * same scope skips instead of interleaving, so pages commit in fetch order and older data never lands over newer),
 * take a fresh watermark, stage the page (COPY source → staging table for backfills, one JSON value for small
 * live batches), merge, move the checkpoint, commit.
 */
export class TargetApplier {
  /** The lane's two target sessions: pages run in `current`; the next page of a backlog is staged in the other. */
  private readonly sessions: readonly [StageSession, StageSession];
  /** The lane's third: rows named while a page merges, applied beside it. */
  private readonly side: SideWriter;
  private current: StageSession;
  private readonly sessionDeps = new Map<StageSession, ApplierDeps>();
  /** Mappings whose bulk page hit a duplicate key once: they always merge from now on. */
  private readonly noBulk = new Set<string>();
  /** Per mapping: rows of the next backlog page, sized to take about PAGE_TARGET_MS, and when that was measured. */
  private readonly pageLimits = new Map<string, { readonly rows: number; readonly at: number }>();
  /** The next page of the mapping in progress, read while its previous page merged. */
  private prefetched: Prefetch | null = null;
  /** A first snapshot is being copied into an empty mirror table (the sequencer yields to it). */
  copyingSnapshot = false;

  constructor(
    private readonly deps: ApplierDeps,
    partner: pg.Client,
    sideSession: pg.Client,
  ) {
    this.sessions = [new StageSession(deps.target), new StageSession(partner)];
    this.current = this.sessions[0];
    for (const session of this.sessions) this.sessionDeps.set(session, { ...deps, target: session.client });
    this.side = new SideWriter({ ...deps, target: sideSession });
  }

  /** Rows of (scope, mapping) were named by a notification (the side session takes them if a page of it merges). */
  named(scope: string, mapping: string): void {
    this.side.named(scope, mapping);
  }

  private depsOf(session: StageSession): ApplierDeps {
    return this.sessionDeps.get(session)!;
  }

  private other(session: StageSession): StageSession {
    return session === this.sessions[0] ? this.sessions[1] : this.sessions[0];
  }

  /** Make sure progress rows exist and return the checkpoints (mapping → last synced id). */
  async prepareScope(scope: string, mappings: readonly SyncMapping[]): Promise<Map<string, number>> {
    const { schema } = this.deps;
    const target = this.current.client;
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

  /**
   * Begin a transaction and lock the progress row of (scope, mapping): the checkpoint, or what another worker that
   * holds it last committed there (the transaction is then rolled back). The merge touches the mirror by key only
   * (ON CONFLICT, deletes by key): index probes, never a hash join that scans the whole mirror table for every page.
   */
  private async lock(
    session: StageSession,
    scope: string,
    mapping: SyncMapping,
    begun = false,
  ): Promise<Locked | { held: HeldElsewhere }> {
    const { schema } = this.deps;
    const target = session.client;
    // A page staged ahead is locked in the transaction it was staged in (its stage table exists).
    if (!begun) await session.ensureStage(mapping);
    const lockStarted = performance.now();
    const key = `scope = ${target.escapeLiteral(scope)} AND mapping_name = ${target.escapeLiteral(mapping.name)}`;
    const lock = (await target.query(
      `${begun ? '' : 'BEGIN;'} SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off;
       SELECT last_synced_sequence_id::text AS c, xmin::text AS row_xid, (txid_current() % 4294967296)::text AS own_xid,
         COALESCE((SELECT xmin::text FROM ${quoteIdent(schema)}.${quoteIdent(SIDE_WRITES_TABLE)} WHERE ${key}), '') AS side_xid
       FROM ${quoteIdent(schema)}.${quoteIdent(PROGRESS_TABLE)}
       WHERE ${key}
       FOR UPDATE SKIP LOCKED`,
    )) as unknown as pg.QueryResult<{ c: string; row_xid: string; own_xid: string; side_xid: string }>[];
    const locked = lock[lock.length - 1]?.rows[0];
    this.deps.clock.add('lock', performance.now() - lockStarted);
    if (locked)
      return {
        checkpoint: Number(locked.c),
        rowXid: locked.row_xid,
        ownXid: locked.own_xid,
        sideXid: locked.side_xid,
      };
    await target.query('ROLLBACK');
    return { held: await this.observe(scope, mapping, session) };
  }

  /** The progress row of (scope, mapping) as last committed, read without locking it. */
  async observe(scope: string, mapping: SyncMapping, session = this.current): Promise<HeldElsewhere> {
    const { rows } = await session.client.query<{ c: string; row_xid: string }>(
      `SELECT last_synced_sequence_id::text AS c, xmin::text AS row_xid
       FROM ${quoteIdent(this.deps.schema)}.${quoteIdent(PROGRESS_TABLE)} WHERE scope = $1 AND mapping_name = $2`,
      [scope, mapping.name],
    );
    return { checkpoint: Number(rows[0]?.c ?? -1), rowXid: rows[0]?.row_xid ?? '' };
  }

  /**
   * Rows named by change notifications, applied on their own (between two pages, or with no page under way): their
   * current state, read after locking the progress row. Null when another worker holds the mapping. A page
   * prefetched before them stays usable: it will read these keys again after its own lock (see `applyPage`).
   */
  async applyFresh(scope: string, mapping: SyncMapping, fresh: FreshSource): Promise<number | null> {
    const started = performance.now();
    const deps = this.depsOf(this.current);
    const locked = await this.lock(this.current, scope, mapping);
    if ('held' in locked) return null;
    const keys = fresh.take();
    if (!keys) {
      await deps.target.query('ROLLBACK');
      return 0;
    }
    const prefetched = this.takePrefetch(scope, mapping, locked);
    try {
      const rows = await readFresh(deps, mapping, scope, keys);
      const { upserted, progressXid } = await upsertFresh(deps, mapping, scope, rows);
      await deps.target.query('COMMIT');
      if (prefetched) {
        this.prefetched = {
          ...prefetched,
          afterXid: progressXid ?? locked.ownXid,
          touched: mergeFreshKeys(prefetched.touched ?? undefined, keys),
        };
      }
      this.deps.clock.add('fresh', performance.now() - started, keys.keys.length);
      return upserted;
    } catch (error) {
      prefetched?.discard();
      await deps.target.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  /**
   * `head`: the mapping's highest source id when last probed (sizes the page; not relied on for correctness).
   * `fresh`: rows named by change notifications, applied with the page (before its merge, and after it).
   */
  async applyPage(
    scope: string,
    mapping: SyncMapping,
    cursor: number,
    head: number,
    fresh?: FreshSource,
  ): Promise<PageOutcome> {
    const started = performance.now();
    let { prefetched, end } = await this.stagedAhead(scope, mapping);
    // A page staged ahead runs in the session it was staged in, whose transaction is open; any other in the current.
    const session = prefetched?.session ?? this.current;
    const deps = this.depsOf(session);
    const target = session.client;
    const locked = await this.lock(session, scope, mapping, prefetched !== null);
    // (A page staged ahead was rolled back with the lock's transaction.)
    if ('held' in locked) return heldOutcome(cursor, started, locked.held);
    this.current = session;
    const { checkpoint } = locked;
    try {
      // A page staged ahead comes with the watermark observed before it was read (what the checkpoint may rely on);
      // any other page observes one now, before its fetch.
      const fromFor = (watermark: number) =>
        cursor <= checkpoint || watermark > checkpoint ? checkpoint : cursor;
      const smallFrom = (from: number) => (head - from) / this.deps.sequenceIncrement <= SMALL_PAGE_ROWS;
      if (
        prefetched &&
        (prefetched.afterXid !== locked.rowXid ||
          prefetched.sideXid !== locked.sideXid ||
          fromFor(prefetched.watermark) !== prefetched.from ||
          smallFrom(prefetched.from))
      )
        prefetched = await this.unstage(deps, mapping);
      const watermark =
        prefetched?.watermark ?? (await this.deps.clock.time('watermark', () => this.deps.watermark()));
      // Fetch from the checkpoint when that can settle it (rows above it were applied, or may have been missed);
      // otherwise continue from what this engine already applied.
      const fromCheckpoint = cursor <= checkpoint || watermark > checkpoint;
      const from = fromFor(watermark);
      const small = smallFrom(from);
      if (from === -1 && !this.noBulk.has(mapping.name) && (await targetIsEmpty(deps, mapping))) {
        // (No page read ahead starts at -1; were one staged, it must not outlive this transaction unmerged.)
        if (prefetched) prefetched = await this.unstage(deps, mapping);
        this.copyingSnapshot = true;
        try {
          return await this.deps.clock.time(
            'bulk',
            () =>
              bulkPage(deps, {
                mapping,
                scope,
                watermark,
                started,
                noBulk: this.noBulk,
                beforeCommit: async () => (await this.upsertFreshNow(deps, scope, mapping, fresh)).upserted,
              }),
            (page) => page.rows,
          );
        } finally {
          this.copyingSnapshot = false;
        }
      }
      const limit = small ? SMALL_PAGE_ROWS : (prefetched?.limit ?? this.pageLimit(mapping));
      const workStarted = performance.now();
      // Keys applied since the page staged ahead was read, of those the page may hold a row of (it cannot land over
      // the newer state of any other): read again now, they win over its rows. One that no longer reads back
      // (deleted since) would leave its older row in the page to land over a newer state: then the page is fetched
      // anew instead.
      let restaged = false;
      const touched =
        prefetched?.touched && end ? keysMaybeInPage(mapping, prefetched.touched, end.text) : null;
      if (prefetched && touched) {
        const rows = await readFresh(deps, mapping, scope, touched);
        if ((JSON.parse(rows) as unknown[] | null)?.length !== touched.keys.length)
          prefetched = await this.unstage(deps, mapping);
        else {
          await stageFresh(deps, mapping, rows);
          restaged = true;
        }
      }
      if (!prefetched) end = null;
      const readAhead = !small;
      // Staged ahead, the page says where it ends: the next one is read and staged while this one merges.
      if (readAhead && end && end.rows >= limit && end.last !== null)
        this.startNext(session, scope, mapping, end.last, locked, watermark);
      if (!end) {
        await this.deps.clock.time('fetch', () =>
          small
            ? this.stageJson(deps, mapping, scope, from, limit)
            : this.stageCopy(deps, mapping, scope, from, limit),
        );
      }
      // A page streamed straight into the stage is counted there before the next one is read.
      if (readAhead && !end) await this.prefetchNext(session, scope, mapping, limit, locked, watermark);
      // A page whose text is known can tell which named keys it cannot hold: those go beside it while it merges.
      if (end && fresh) this.openSide(scope, mapping, fresh, end.text, restaged ? touched : null);
      const merged = await this.deps.clock.time(
        'merge',
        () => this.merge(deps, mapping, [scope, watermark, fromCheckpoint, limit], restaged),
        (m) => m.rows,
      );
      session.stageSize(mapping, merged.stage_bytes);
      const beside = await this.side.close();
      const freshUpserted = await this.upsertFreshNow(deps, scope, mapping, fresh, beside.leftover);
      // The page read ahead was started in this transaction; tell it which transaction id the progress row will
      // carry (a merge run under a savepoint, to be retried, writes a subtransaction's), or it is dropped as outdated.
      this.retagPrefetch(locked.ownXid, freshUpserted.progressXid ?? merged.progress_xid);
      await target.query('COMMIT');
      if (!small) this.adaptPageLimit(mapping, limit, merged.rows, performance.now() - workStarted);
      const committedAt = Date.now();
      return {
        from,
        rows: merged.rows,
        upserted: merged.upserted + freshUpserted.upserted + beside.upserted,
        deleted: merged.deleted,
        full: merged.rows >= limit,
        pageMax: merged.max_seq === null ? null : Number(merged.max_seq),
        checkpointBefore: checkpoint,
        checkpoint: Number(merged.checkpoint),
        committedAt,
        ms: performance.now() - started,
      };
    } catch (error) {
      await this.side.close().catch(() => {});
      this.dropPrefetch();
      await target.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  /**
   * Named rows the page cannot hold are applied beside it (side.ts) until it closes the side session. A page read
   * ahead meanwhile may predate them: it reads them again when used, and carries the side-writes row's new xid.
   */
  private openSide(
    scope: string,
    mapping: SyncMapping,
    fresh: FreshSource,
    pageText: Buffer,
    restaged: FreshKeys | null,
  ): void {
    this.side.open({
      scope,
      mapping,
      fresh,
      pageText,
      restaged,
      applied: (keys, sideXid) => {
        this.markTouched(keys);
        if (this.prefetched) this.prefetched = { ...this.prefetched, sideXid };
      },
    });
  }

  /**
   * The page staged ahead for this (scope, mapping), once its staging has finished, and where it ends; nothing
   * when there is none or its read failed (dropped).
   */
  private async stagedAhead(
    scope: string,
    mapping: SyncMapping,
  ): Promise<{ prefetched: Prefetch | null; end: PageEnd | null }> {
    const prefetched = this.prefetched;
    this.prefetched = null;
    if (!prefetched) return { prefetched: null, end: null };
    if (prefetched.scope !== scope || prefetched.mapping !== mapping.name) {
      prefetched.discard();
      return { prefetched: null, end: null };
    }
    const waited = performance.now();
    const end = await prefetched.page.catch(() => null);
    this.deps.clock.add('prefetch', performance.now() - waited);
    if (end) return { prefetched, end };
    prefetched.discard();
    return { prefetched: null, end: null };
  }

  /** A page staged ahead that cannot be used after all: emptied, so the page is fetched in its place. */
  private async unstage(deps: ApplierDeps, mapping: SyncMapping): Promise<null> {
    await deps.target.query(clearStageSql(mapping));
    return null;
  }

  /**
   * The page staged ahead, if it is the one this page would fetch and nothing was applied since it was read
   * (for rows applied on their own, which leave it in place); dropped otherwise.
   */
  private takePrefetch(scope: string, mapping: SyncMapping, locked: Locked): Prefetch | null {
    const prefetched = this.prefetched;
    this.prefetched = null;
    const usable =
      prefetched?.scope === scope &&
      prefetched.mapping === mapping.name &&
      prefetched.afterXid === locked.rowXid &&
      prefetched.sideXid === locked.sideXid;
    if (usable) return prefetched;
    prefetched?.discard();
    return null;
  }

  /** A full page is staged: read the next one from the source while this one merges. */
  private async prefetchNext(
    session: StageSession,
    scope: string,
    mapping: SyncMapping,
    limit: number,
    locked: Locked,
    watermark: number,
  ): Promise<void> {
    const { rows } = await session.client.query<{ n: number; last: string | null }>(
      `SELECT count(*)::int AS n, max(sequence_id)::text AS last FROM ${stageTable(mapping)} WHERE NOT fresh`,
    );
    const page = rows[0]!;
    if (page.n < limit || page.last === null) return;
    this.startNext(session, scope, mapping, Number(page.last), locked, watermark);
  }

  /**
   * Read the page after `last` ahead and stage it in the lane's other session. Its snapshot may be older than rows
   * this page applies by key afterwards (fresh rows): those are marked touched as they are applied, and read again
   * when it is used.
   */
  private startNext(
    session: StageSession,
    scope: string,
    mapping: SyncMapping,
    last: number,
    locked: Locked,
    watermark: number,
  ): void {
    const { ownXid: afterXid, sideXid } = locked;
    this.prefetched = startPrefetch(
      this.deps.sourcePool,
      { scope, mapping, from: last, limit: this.pageLimit(mapping), afterXid, sideXid, watermark },
      this.other(session),
    );
  }

  /** The page read ahead after the transaction `ownXid` must find the progress row as `writtenBy` left it. */
  private retagPrefetch(ownXid: string, writtenBy: string | null): void {
    if (this.prefetched?.afterXid === ownXid && writtenBy !== null && writtenBy !== ownXid)
      this.prefetched = { ...this.prefetched, afterXid: writtenBy };
  }

  /** Keys applied after the page read ahead was started: that page reads them again when it is used. */
  private markTouched(keys: FreshKeys): void {
    if (this.prefetched)
      this.prefetched = {
        ...this.prefetched,
        touched: mergeFreshKeys(this.prefetched.touched ?? undefined, keys),
      };
  }

  /** Forget a page staged ahead (the caller leaves the mapping; whatever it applies next is fetched anew). */
  dropPrefetch(): void {
    this.prefetched?.discard();
    this.prefetched = null;
  }

  /** Keep a page staged ahead only if it belongs to the mapping this lane applies next. */
  keepPrefetchFor(scope: string, mapping: string | undefined): void {
    if (this.prefetched?.scope !== scope || this.prefetched.mapping !== mapping) this.dropPrefetch();
  }

  private async stageCopy(
    deps: ApplierDeps,
    mapping: SyncMapping,
    scope: string,
    from: number,
    limit: number,
  ): Promise<void> {
    await readPage(deps.sourcePool, { scope, mapping, from, limit }, (reader) =>
      pipeline(reader, deps.target.query(copyFrom(copyIntoStageSql(mapping)))),
    );
  }

  private async stageJson(
    deps: ApplierDeps,
    mapping: SyncMapping,
    scope: string,
    from: number,
    limit: number,
  ): Promise<void> {
    const { rows } = await deps.sourcePool.query<{ rows: string }>({
      name: `hexclave_sync_page_${mapping.name}`,
      text: pageJsonSql(mapping),
      values: [scope, from, limit],
    });
    await deps.target.query({
      name: `hexclave_sync_stage_${mapping.name}`,
      text: stageJsonSql(mapping),
      values: [rows[0]!.rows, false],
    });
  }

  /**
   * Fresh rows named while the page was fetched or merged, that the side session did not take (the page may hold
   * them, or the page's text is not known): read and upserted in its transaction after its merge, before its
   * commit. Once per page, not also staged beside it before the merge: either way they become visible at the page's
   * commit, and staging them made the merge sort the page to drop the keys they replace (a mass update with changes
   * named at 50/s: 1,426 fresh reads for 1,682 rows at a million users).
   */
  private async upsertFreshNow(
    deps: ApplierDeps,
    scope: string,
    mapping: SyncMapping,
    fresh?: FreshSource,
    leftover: FreshKeys | null = null,
  ): Promise<{ upserted: number; progressXid: string | null }> {
    const taken = fresh?.take();
    const keys = taken ? mergeFreshKeys(leftover ?? undefined, taken) : leftover;
    if (!keys) return { upserted: 0, progressXid: null };
    const started = performance.now();
    const result = await upsertFresh(deps, mapping, scope, await readFresh(deps, mapping, scope, keys));
    this.markTouched(keys);
    this.deps.clock.add('fresh', performance.now() - started, keys.keys.length);
    return result;
  }

  private pageLimit(mapping: SyncMapping): number {
    const paced = this.pageLimits.get(mapping.name);
    const recent = paced !== undefined && performance.now() - paced.at <= IDLE_PAGE_MS;
    return Math.min(this.deps.pageRows, recent ? paced.rows : FLOOR_PAGE_ROWS);
  }

  /** Size the next page of this mapping from how fast this one went (only full pages say something about speed). */
  private adaptPageLimit(mapping: SyncMapping, limit: number, rows: number, ms: number): void {
    if (rows < limit || ms <= 0) return;
    this.pageLimits.set(mapping.name, {
      rows: nextPageRows(rows, ms, this.deps.pageRows),
      at: performance.now(),
    });
  }

  /** Merge the staged page (`dedupe`: some keys may be staged twice, e.g. fresh rows beside the page's). */
  private async merge(
    deps: ApplierDeps,
    mapping: SyncMapping,
    values: readonly unknown[],
    dedupe: boolean,
  ): Promise<MergeRow> {
    const { target, schema } = deps;
    const run = async (dedupe: boolean) => {
      const { rows } = await target.query<MergeRow>({
        name: `hexclave_sync_merge_${mapping.name}${dedupe ? '_dedupe' : ''}`,
        text: mergeSql(mapping, schema, dedupe),
        values: [...values],
      });
      return rows[0]!;
    };
    if (dedupe) return run(true);
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

function heldOutcome(cursor: number, started: number, held: HeldElsewhere): PageOutcome {
  return {
    held,
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
