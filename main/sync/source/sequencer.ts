import type pg from 'pg';
import { GLOBAL_SEQUENCE } from '../../../shared/internal-db.js';
import type { SequencedTable } from '../../../shared/sync/index.js';
import { quoteIdent } from '../pg.js';
import { enqueueSql } from './queue-sql.js';

export interface TickResult {
  readonly rows: number;
  readonly tenancies: readonly string[];
  readonly minSequenceId: number | null;
  readonly maxSequenceId: number | null;
  /** True when some table had more flagged rows than one batch: tick again right away. */
  readonly more: boolean;
  readonly perTable: Readonly<Record<string, number>>;
}

/**
 * One statement per sequenced table, upstream's shape (stack-sync.md §2): a CTE picks up to `batch` flagged rows
 * ORDER BY tenancy LIMIT … FOR UPDATE SKIP LOCKED, an UPDATE … FROM it stamps them with nextval and clears the
 * flag. Unlike upstream, the enqueue of one request per touched tenancy is part of the same statement, so a stamp
 * never commits without its wake-up. Team stamps re-flag that team's invitations (team_display_name is derived).
 */
function stampStatement(table: SequencedTable, batch: number, options: StatementOptions): string {
  const name = quoteIdent(table.table);
  const keys = table.primaryKey.map((k) => `t.${quoteIdent(k)}`).join(', ');
  const join = table.primaryKey.map((k) => `t.${quoteIdent(k)} = picked.${quoteIdent(k)}`).join(' AND ');
  const order = table.table === 'VerificationCode' ? 't."projectId", t."branchId"' : 't."tenancyId"';
  const filter = table.rowFilter ? ` AND ${table.rowFilter}` : '';
  const ctes = [
    `picked AS (
  SELECT ${keys} FROM ${name} AS t
  WHERE t."shouldUpdateSequenceId" = TRUE${filter}
  ORDER BY ${order} LIMIT ${batch} FOR UPDATE SKIP LOCKED)`,
    `stamped AS (
  UPDATE ${name} AS t SET "sequenceId" = nextval('${GLOBAL_SEQUENCE}'), "shouldUpdateSequenceId" = FALSE
  FROM picked WHERE ${join}
  RETURNING ${table.tenancyExpression} AS tenancy_id, t."sequenceId" AS sequence_id${table.table === 'Team' ? ', t."teamId" AS team_id' : ''})`,
  ];
  if (options.queue) ctes.push(`enqueued AS (${enqueueSql('stamped')} RETURNING 1)`);
  if (table.table === 'Team' && options.invitations) {
    ctes.push(`invitations AS (
  UPDATE "VerificationCode" AS vc SET "shouldUpdateSequenceId" = TRUE
  FROM stamped JOIN "Tenancy" AS ten ON ten."id" = stamped.tenancy_id
  WHERE vc."type" = 'TEAM_INVITATION' AND NOT vc."shouldUpdateSequenceId"
    AND vc."projectId" = ten."projectId" AND vc."branchId" = ten."branchId"
    AND vc."data"->>'team_id' = stamped.team_id::text
  RETURNING 1)`);
  }
  return `WITH ${ctes.join(',\n')}
SELECT '${table.table}' AS table_name, count(*)::int AS rows, min(sequence_id)::text AS min_seq,
       max(sequence_id)::text AS max_seq,
       COALESCE(array_agg(DISTINCT tenancy_id::text) FILTER (WHERE tenancy_id IS NOT NULL), '{}') AS tenancies
FROM stamped`;
}

const EMPTY_TICK: TickResult = {
  rows: 0,
  tenancies: [],
  minSequenceId: null,
  maxSequenceId: null,
  more: false,
  perTable: {},
};

interface StatementOptions {
  readonly queue: boolean;
  readonly invitations: boolean;
}

interface StampRow {
  table_name: string;
  rows: number;
  min_seq: string | null;
  max_seq: string | null;
  tenancies: string[];
}

/** Which tables have flagged rows: one index probe each, so an idle tick costs one cheap statement. */
function probeStatement(tables: readonly SequencedTable[]): string {
  const probes = tables.map(
    (t, i) =>
      `CASE WHEN EXISTS (SELECT 1 FROM ${quoteIdent(t.table)} AS t WHERE t."shouldUpdateSequenceId" = TRUE${t.rowFilter ? ` AND ${t.rowFilter}` : ''}) THEN ${i} END`,
  );
  return `SELECT array_remove(ARRAY[${probes.join(', ')}], NULL) AS flagged`;
}

export class Sequencer {
  private readonly statements: readonly string[];
  private readonly probe: string;
  private readonly teamIndex: number;
  private readonly invitationIndex: number;
  private prepared = false;

  constructor(
    private readonly client: pg.Client,
    tables: readonly SequencedTable[],
    private readonly batch: number,
    queue: boolean,
  ) {
    const invitations = tables.some((t) => t.table === 'VerificationCode');
    this.statements = tables.map((t) => stampStatement(t, batch, { queue, invitations }));
    this.probe = probeStatement(tables);
    this.teamIndex = tables.findIndex((t) => t.table === 'Team');
    this.invitationIndex = tables.findIndex((t) => t.table === 'VerificationCode');
  }

  async tick(): Promise<TickResult> {
    // Prepared once per connection (session-level, nothing is created in the database): a tick is then one round
    // trip of EXECUTEs in one transaction, in upstream's table order, so invitations flagged by a team stamp are
    // stamped by the VerificationCode statement of the same tick.
    if (!this.prepared) {
      await this.client.query(
        [
          `PREPARE hexclave_sync_probe AS ${this.probe}`,
          ...this.statements.map((sql, i) => `PREPARE hexclave_sync_stamp_${i} AS ${sql}`),
        ].join(';\n'),
      );
      this.prepared = true;
    }
    const probe = await this.client.query<{ flagged: number[] }>('EXECUTE hexclave_sync_probe');
    const flagged = new Set(probe.rows[0]?.flagged ?? []);
    if (flagged.size === 0) return EMPTY_TICK;
    // A team stamp re-flags its invitations, which the VerificationCode statement then stamps in the same tick.
    if (flagged.has(this.teamIndex) && this.invitationIndex >= 0) flagged.add(this.invitationIndex);
    // Synchronous commit even on an asynchronous session: the stamps' sequence advance must be durable.
    const sql = [
      'BEGIN',
      'SET LOCAL synchronous_commit = on',
      ...[...flagged].sort((a, b) => a - b).map((i) => `EXECUTE hexclave_sync_stamp_${i}`),
      'COMMIT',
    ].join(';\n');
    const raw = (await this.client.query(sql)) as unknown as
      | pg.QueryResult<StampRow>
      | pg.QueryResult<StampRow>[];
    const results = Array.isArray(raw) ? raw : [raw];
    const tenancies = new Set<string>();
    const perTable: Record<string, number> = {};
    let rows = 0;
    let min: number | null = null;
    let max: number | null = null;
    let more = false;
    for (const result of results) {
      const row = result.rows[0];
      if (!row) continue;
      perTable[row.table_name] = row.rows;
      rows += row.rows;
      if (row.rows >= this.batch) more = true;
      for (const t of row.tenancies) tenancies.add(t);
      if (row.min_seq !== null) min = min === null ? Number(row.min_seq) : Math.min(min, Number(row.min_seq));
      if (row.max_seq !== null) max = max === null ? Number(row.max_seq) : Math.max(max, Number(row.max_seq));
    }
    return { rows, tenancies: [...tenancies], minSequenceId: min, maxSequenceId: max, more, perTable };
  }
}
