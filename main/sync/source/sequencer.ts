import type pg from 'pg';
import { SEQUENCER_SETTING } from '../../../shared/internal-db.js';
import type { SequencedTable } from '../../../shared/sync/index.js';
import { heapSizeStatement, type PickKind, probeStatement, stampStatement } from './sequencer-sql.js';

export interface TickResult {
  readonly rows: number;
  readonly tenancies: readonly string[];
  readonly minSequenceId: number | null;
  readonly maxSequenceId: number | null;
  /** True when some table has a backlog (a full batch, or a sweep under way): tick again right away. */
  readonly more: boolean;
  readonly perTable: Readonly<Record<string, number>>;
}

const EMPTY_TICK: TickResult = {
  rows: 0,
  tenancies: [],
  minSequenceId: null,
  maxSequenceId: null,
  more: false,
  perTable: {},
};

interface StampRow {
  table_name: string;
  rows: number;
  min_seq: string | null;
  max_seq: string | null;
  tenancies: string[];
}

/** The largest batch one stamping statement may take, and how long one tick should take at most. */
const MAX_BATCH = 50_000;
const TICK_TARGET_MS = 250;
/** Bounds on the heap blocks one sweep statement covers. */
const MIN_SWEEP_BLOCKS = 8;
const MAX_SWEEP_BLOCKS = 16_384;

interface Sweep {
  /** Next heap block to sweep, and the end: the table's size when the sweep began. */
  next: number;
  readonly end: number;
  /** Blocks per statement, sized from the flagged rows per block seen so far. */
  blocks: number;
}

interface TableState {
  readonly table: SequencedTable;
  /** Rows the next statement should stamp. */
  batch: number;
  sweep: Sweep | null;
  /** The last pick came back full: sweep the heap from the next tick on. */
  wantsSweep: boolean;
}

/**
 * The sequencer: stamps flagged rows with `nextval`, one statement per table, all in one transaction per tick.
 *
 * Live changes take upstream's path: up to 1,000 rows per table per tick, picked from the flag index. A backlog (a
 * mass update, the first sync of an existing project) would make that path pay a statement, a probe and a
 * synchronous commit per 1,000 rows, and — worse — every pick would walk the flag-index entries of all rows stamped
 * before it, dead until vacuum: O(N²) for a backlog of N rows (at a million users the old sequencer needed 0.8 s per
 * probe after 700,000 stamps). So a table whose pick comes back full is swept instead: its heap, front to back, in
 * block ranges that each hold about one batch of flagged rows; every statement costs its own blocks only. Batches
 * double while a tick stays under TICK_TARGET_MS. When the sweep reaches the blocks that existed when it began, the
 * table goes back to picking, which finds whatever was flagged behind the sweep.
 */
export class Sequencer {
  private readonly probe: string;
  private readonly tables: TableState[];
  private readonly teamIndex: number;
  private readonly invitationIndex: number;
  private prepared = false;

  /**
   * `lanes`: source connections (the first also probes and picks). A sweep statement's block range is split among
   * them and they stamp their shares at once, each in its own transaction: stamping is most of a backlog's cost,
   * and one backend stamps on one core.
   */
  constructor(
    private readonly lanes: readonly pg.Client[],
    tables: readonly SequencedTable[],
    private readonly batch: number,
    private readonly queue: boolean,
    /** False on servers without TID range scans: a backlog is then worked off by growing picks only. */
    private readonly sweeps = true,
  ) {
    this.probe = probeStatement(tables);
    this.tables = tables.map((table) => ({ table, batch, sweep: null, wantsSweep: false }));
    this.teamIndex = tables.findIndex((t) => t.table === 'Team');
    this.invitationIndex = tables.findIndex((t) => t.table === 'VerificationCode');
  }

  /** True while some table has a backlog being worked off (a sweep under way or about to begin). */
  get busy(): boolean {
    return this.tables.some((t) => t.sweep !== null || t.wantsSweep);
  }

  /**
   * Prepared once per connection (session-level, nothing is created in the database): a tick is then one round
   * trip of EXECUTEs in one transaction, in upstream's table order, so invitations flagged by a team stamp are
   * stamped by the VerificationCode statement of the same tick.
   */
  private async prepare(): Promise<void> {
    if (this.prepared) return;
    const invitations = this.invitationIndex >= 0;
    const options = { queue: this.queue, invitations };
    const statement = (state: TableState, i: number, kind: PickKind) =>
      `PREPARE hexclave_sync_${kind}_${i} (${kind === 'pick' ? 'int' : 'tid, tid'}) AS ${stampStatement(state.table, kind, options)}`;
    await Promise.all(
      this.lanes.map((lane) =>
        lane.query(
          [
            `PREPARE hexclave_sync_probe AS ${this.probe}`,
            ...this.tables.map((state, i) => statement(state, i, 'pick')),
            ...this.tables.map((state, i) => statement(state, i, 'sweep')),
          ].join(';\n'),
        ),
      ),
    );
    this.prepared = true;
  }

  async tick(): Promise<TickResult> {
    await this.prepare();
    const probe = await this.lanes[0]!.query<{ flagged: number[] }>('EXECUTE hexclave_sync_probe');
    const flagged = new Set(probe.rows[0]?.flagged ?? []);
    for (const [i, state] of this.tables.entries()) {
      // Nothing flagged any more: the sweep is done early.
      if (!flagged.has(i)) {
        state.sweep = null;
        state.wantsSweep = false;
      }
    }
    if (flagged.size === 0) return EMPTY_TICK;
    // A team stamp re-flags its invitations, which the VerificationCode statement then stamps in the same tick.
    if (flagged.has(this.teamIndex) && this.invitationIndex >= 0) flagged.add(this.invitationIndex);
    const order = [...flagged].sort((a, b) => a - b);
    for (const i of order) await this.startSweep(this.tables[i]!);
    // Per lane, its statements: picks (and their order: team before invitations) on the first lane, each sweep's
    // block range split among all lanes.
    const ranges = new Map<number, [number, number]>();
    const work: { table: number; sql: string }[][] = this.lanes.map(() => []);
    for (const i of order) {
      const state = this.tables[i]!;
      if (!state.sweep) {
        work[0]!.push({ table: i, sql: `EXECUTE hexclave_sync_pick_${i}(${state.batch})` });
        continue;
      }
      const from = state.sweep.next;
      const to = Math.min(from + state.sweep.blocks, state.sweep.end);
      ranges.set(i, [from, to]);
      const share = Math.ceil((to - from) / this.lanes.length);
      for (let lane = 0; lane < this.lanes.length; lane++) {
        const start = from + lane * share;
        const end = Math.min(to, start + share);
        if (start >= end) continue;
        work[lane]!.push({ table: i, sql: `EXECUTE hexclave_sync_sweep_${i}('(${start},0)', '(${end},0)')` });
      }
    }
    const started = performance.now();
    const outcomes = await Promise.allSettled(
      this.lanes.map(async (lane, index) => {
        const statements = work[index]!;
        if (statements.length === 0) return [];
        // Synchronous commit even on an asynchronous session: the stamps' sequence advance must be durable. The
        // setting tells the emulator's triggers that these updates are stamps, not changes to capture.
        const sql = [
          'BEGIN',
          'SET LOCAL synchronous_commit = on',
          `SET LOCAL ${SEQUENCER_SETTING} = on`,
          ...statements.map((s) => s.sql),
          'COMMIT',
        ];
        const raw = (await lane.query(sql.join(';\n'))) as unknown as
          | pg.QueryResult<StampRow>
          | pg.QueryResult<StampRow>[];
        const rows = (Array.isArray(raw) ? raw : [raw]).flatMap((r) => (r.rows[0] ? [r.rows[0]] : []));
        return rows.map((row, position) => ({ table: statements[position]!.table, row }));
      }),
    );
    const tickMs = performance.now() - started;
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
    const stamped = outcomes.flatMap((o) => (o.status === 'fulfilled' ? o.value : []));
    const tenancies = new Set<string>();
    const perTable: Record<string, number> = {};
    let rows = 0;
    let min: number | null = null;
    let max: number | null = null;
    for (const { row } of stamped) {
      perTable[row.table_name] = (perTable[row.table_name] ?? 0) + row.rows;
      rows += row.rows;
      for (const t of row.tenancies) tenancies.add(t);
      if (row.min_seq !== null) min = min === null ? Number(row.min_seq) : Math.min(min, Number(row.min_seq));
      if (row.max_seq !== null) max = max === null ? Number(row.max_seq) : Math.max(max, Number(row.max_seq));
    }
    let fullPick = false;
    for (const i of order) {
      const tableRows = stamped.filter((s) => s.table === i).reduce((sum, s) => sum + s.row.rows, 0);
      if (!ranges.has(i) && tableRows >= this.tables[i]!.batch) fullPick = true;
      this.advance(this.tables[i]!, tableRows, tickMs, ranges.get(i));
    }
    const more = fullPick || this.tables.some((t) => t.sweep !== null || t.wantsSweep);
    return { rows, tenancies: [...tenancies], minSequenceId: min, maxSequenceId: max, more, perTable };
  }

  private async startSweep(state: TableState): Promise<void> {
    if (!state.wantsSweep || state.sweep) return;
    state.wantsSweep = false;
    const { rows } = await this.lanes[0]!.query<{ blocks: number; tuples_per_block: number }>(
      heapSizeStatement(state.table),
    );
    const end = rows[0]?.blocks ?? 0;
    if (end === 0) return;
    state.sweep = { next: 0, end, blocks: this.sweepBlocks(state.batch, rows[0]!.tuples_per_block) };
  }

  private sweepBlocks(batch: number, rowsPerBlock: number): number {
    const blocks = Math.ceil(batch / Math.max(rowsPerBlock, 0.01));
    return Math.min(MAX_SWEEP_BLOCKS, Math.max(MIN_SWEEP_BLOCKS, blocks));
  }

  /** After a statement: the next batch (doubling under a backlog while ticks stay short), the sweep's position. */
  private advance(
    state: TableState,
    rows: number,
    tickMs: number,
    range: [number, number] | undefined,
  ): void {
    const fast = tickMs * 2 <= TICK_TARGET_MS;
    const slow = tickMs > TICK_TARGET_MS;
    if (!range) {
      // A pick: full means a backlog; sweep it from the next tick on.
      if (rows >= state.batch) {
        state.wantsSweep = this.sweeps;
        if (fast) state.batch = Math.min(MAX_BATCH, state.batch * 2);
      } else state.batch = this.batch;
      return;
    }
    const sweep = state.sweep!;
    const [from, to] = range;
    sweep.next = to;
    if (slow) state.batch = Math.max(this.batch, Math.floor(state.batch / 2));
    else if (fast) state.batch = Math.min(MAX_BATCH, state.batch * 2);
    const seenPerBlock = rows / Math.max(1, to - from);
    // An empty range says little about the next one: widen the window instead of trusting a zero density.
    sweep.blocks =
      rows === 0 ? Math.min(MAX_SWEEP_BLOCKS, sweep.blocks * 4) : this.sweepBlocks(state.batch, seenPerBlock);
    if (sweep.next >= sweep.end) {
      state.sweep = null;
      state.batch = this.batch;
    }
  }
}
