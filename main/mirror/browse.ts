import { inReadOnlyTransaction, type MirrorSettings, withMirrorSession } from './connection.js';
import { MirrorQueryError, pgErrorOf, SQLSTATE, translatePgError } from './errors.js';
import { DEFAULT_OUTPUT_LIMITS, type OutputLimits, RowBudget } from './output-limits.js';
import { type JsonValue, toJsonValue } from './query.js';
import { MIRROR_TABLES } from './tables.js';

export interface MirrorPage {
  readonly columns: readonly string[];
  readonly rows: readonly JsonValue[][];
  readonly rowCount: number;
  /** More rows exist after this page (or the page's rows did not all fit in the byte cap). */
  readonly truncated: boolean;
  /** Why rows are missing: the page size (more pages follow) or the byte cap; null when none are. */
  readonly truncatedBy: 'row-limit' | 'byte-limit' | null;
  /** Cells cut to the per-cell byte cap (each ends with "… [truncated, N bytes]"). */
  readonly truncatedCells: number;
  readonly ms: number;
}

const SEARCHABLE = /^(text|uuid|character varying)/;

/**
 * Row counts of the mirror tables that exist: null when the engine has not created a table yet, or when the table
 * stayed locked past the lock timeout (`locked`; the sync engine holds an empty table that way while it copies its
 * first snapshot in, main/sync/target/deferred-indexes.ts). One locked table does not hide the others' counts.
 */
export async function mirrorTableCounts(
  settings: MirrorSettings,
): Promise<Array<{ name: string; rows: number | null; locked: boolean }>> {
  return withMirrorSession(settings, (session) =>
    inReadOnlyTransaction(session, settings, async () => {
      const { client } = session;
      const out: Array<{ name: string; rows: number | null; locked: boolean }> = [];
      for (const table of MIRROR_TABLES) {
        const exists = await client.query('SELECT to_regclass($1) AS found', [
          `${client.escapeIdentifier(settings.schema)}.${client.escapeIdentifier(table.table)}`,
        ]);
        if (exists.rows[0]?.found == null) {
          out.push({ name: table.table, rows: null, locked: false });
          continue;
        }
        await client.query('SAVEPOINT table_count');
        try {
          const counted = await client.query(
            `SELECT count(*)::int AS n FROM ${client.escapeIdentifier(table.table)}`,
          );
          out.push({ name: table.table, rows: counted.rows[0].n, locked: false });
        } catch (error) {
          if (pgErrorOf(error)?.code !== SQLSTATE.lockNotAvailable) throw error;
          await client.query('ROLLBACK TO SAVEPOINT table_count');
          out.push({ name: table.table, rows: null, locked: true });
        }
      }
      return out;
    }),
  );
}

/**
 * A page of one mirror table, optionally filtered by a text search over its text and uuid columns. Only tables
 * the sync engine defines can be named, and the search travels as a parameter, so no input becomes SQL.
 */
export async function browseMirrorTable(
  settings: MirrorSettings,
  tableName: string,
  options: {
    search: string;
    limit: number;
    offset: number;
    /** A column of the table to order by (then the primary key); default: the primary key. */
    sort?: { column: string; direction: 'asc' | 'desc' } | null;
    limits?: OutputLimits;
  },
): Promise<MirrorPage> {
  const table = MIRROR_TABLES.find((t) => t.table === tableName);
  if (!table) {
    throw new MirrorQueryError(
      'invalid-input',
      `"${tableName}" is not a mirror table. Mirror tables: ${MIRROR_TABLES.map((t) => t.table).join(', ')}.`,
    );
  }
  const sort = options.sort ?? null;
  if (sort && !table.columns.some((c) => c.name === sort.column)) {
    throw new MirrorQueryError(
      'invalid-input',
      `${tableName} has no column "${sort.column}" to sort by. Its columns: ${table.columns.map((c) => c.name).join(', ')}.`,
    );
  }
  const started = performance.now();
  return withMirrorSession(settings, (session) =>
    inReadOnlyTransaction(session, settings, async () => {
      const id = (name: string) => session.client.escapeIdentifier(name);
      const exists = await session.client.query('SELECT to_regclass($1) AS found', [
        `${id(settings.schema)}.${id(table.table)}`,
      ]);
      if (exists.rows[0]?.found == null) {
        throw new MirrorQueryError(
          'not-created',
          `The ${table.table} table is not in the mirror yet: the sync engine creates it when it first mirrors a row of it.`,
        );
      }
      const searchable = table.columns
        .filter((c) => SEARCHABLE.test(c.type))
        .map((c) => `${id(c.name)}::text ILIKE $1`);
      const searching = options.search !== '' && searchable.length > 0;
      const where = searching ? `WHERE ${searchable.join(' OR ')}` : '';
      const byKey = table.primaryKey.map((c) => `${id(c)}${sort?.direction === 'desc' ? ' DESC' : ''}`);
      const order = sort
        ? [
            `${id(sort.column)} ${sort.direction === 'desc' ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`,
            ...byKey,
          ].join(', ')
        : table.primaryKey.map(id).join(', ');
      const paging = searching ? 'LIMIT $2 OFFSET $3' : 'LIMIT $1 OFFSET $2';
      const text = `SELECT * FROM ${id(table.table)} ${where} ORDER BY ${order} ${paging}`;
      const pattern = `%${options.search.replace(/[\\%_]/g, '\\$&')}%`;
      try {
        const result = await session.client.query({
          text,
          values: searching
            ? [pattern, options.limit + 1, options.offset]
            : [options.limit + 1, options.offset],
          rowMode: 'array',
        });
        const budget = new RowBudget(options.limits ?? DEFAULT_OUTPUT_LIMITS);
        for (const row of (result.rows as unknown[][]).slice(0, options.limit)) {
          if (!budget.add(row.map(toJsonValue))) break;
        }
        return {
          columns: result.fields.map((f) => f.name),
          rows: budget.rows,
          rowCount: budget.rows.length,
          truncated: budget.full || result.rows.length > options.limit,
          truncatedBy: budget.full ? 'byte-limit' : result.rows.length > options.limit ? 'row-limit' : null,
          truncatedCells: budget.truncatedCells,
          ms: performance.now() - started,
        };
      } catch (error) {
        throw translatePgError(error, {
          sql: text,
          prefixLength: 0,
          statementTimeoutMs: settings.statementTimeoutMs,
          lockTimeoutMs: settings.lockTimeoutMs,
        });
      }
    }),
  );
}
