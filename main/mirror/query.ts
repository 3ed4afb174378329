import { performance } from 'node:perf_hooks';
import {
  inReadOnlyTransaction,
  type MirrorSettings,
  singleStatement,
  withMirrorSession,
} from './connection.js';
import { translatePgError } from './errors.js';
import { DEFAULT_OUTPUT_LIMITS, type OutputLimits, RowBudget } from './output-limits.js';
import { checkReadOnlyStatement } from './read-only-guard.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface QueryColumn {
  readonly name: string;
  readonly type: string;
}

export interface ReadOnlyQueryResult {
  readonly columns: readonly QueryColumn[];
  /** Rows as arrays in column order (two columns may share a name). */
  readonly rows: readonly JsonValue[][];
  readonly rowCount: number;
  /** True when rows were left out: the query had more than `rowLimit`, or they did not fit in the byte cap. */
  readonly truncated: boolean;
  /** Which cap left rows out, or null when every row came back. */
  readonly truncatedBy: 'row-limit' | 'byte-limit' | null;
  /** Cells cut to the per-cell byte cap (each ends with "… [truncated, N bytes]"). */
  readonly truncatedCells: number;
  readonly rowLimit: number;
  readonly limits: OutputLimits;
  readonly elapsedMs: number;
}

const CURSOR = 'hexclave_mirror_query';
/** Rows per FETCH: memory stays bounded by the byte cap, not by rowLimit × the widest row. */
const FETCH_BATCH = 100;

export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  }
  return String(value);
}

/**
 * Run one read-only statement against the mirror: lexical guard, BEGIN READ ONLY, statement timeout, a cursor
 * (which Postgres only accepts for SELECT/VALUES queries) fetched in batches up to `rowLimit` + 1 rows or the byte
 * cap, cells capped, then ROLLBACK. The statement travels in the extended protocol, so a smuggled second statement
 * cannot even be parsed.
 */
export async function runReadOnlyQuery(
  settings: MirrorSettings,
  sql: string,
  options: { rowLimit: number; limits?: OutputLimits },
): Promise<ReadOnlyQueryResult> {
  const statement = checkReadOnlyStatement(sql);
  const limits = options.limits ?? DEFAULT_OUTPUT_LIMITS;
  const prefix = `DECLARE ${CURSOR} NO SCROLL CURSOR FOR `;
  const started = performance.now();
  return withMirrorSession(settings, (session) =>
    inReadOnlyTransaction(session, settings, async () => {
      const { client } = session;
      try {
        await client.query(singleStatement(`${prefix}${statement}\n`));
        const budget = new RowBudget(limits);
        let fields: { name: string; dataTypeID: number }[] = [];
        let moreRows = false;
        for (;;) {
          const wanted = Math.min(FETCH_BATCH, options.rowLimit + 1 - budget.rows.length);
          const fetched = await client.query({
            text: `FETCH FORWARD ${wanted} FROM ${CURSOR}`,
            rowMode: 'array',
          });
          if (fields.length === 0) fields = fetched.fields;
          for (const row of fetched.rows as unknown[][]) {
            if (budget.rows.length === options.rowLimit || !budget.add(row.map(toJsonValue))) {
              moreRows = true;
              break;
            }
          }
          if (moreRows || fetched.rows.length < wanted) break;
        }
        const typeNames = await client.query<{ oid: number; name: string }>(
          'SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::oid[])',
          [[...new Set(fields.map((f) => f.dataTypeID))]],
        );
        const typeOf = new Map(typeNames.rows.map((r) => [r.oid, r.name]));
        return {
          columns: fields.map((f) => ({ name: f.name, type: typeOf.get(f.dataTypeID) ?? 'unknown' })),
          rows: budget.rows,
          rowCount: budget.rows.length,
          truncated: moreRows,
          truncatedBy: !moreRows ? null : budget.full ? 'byte-limit' : 'row-limit',
          truncatedCells: budget.truncatedCells,
          rowLimit: options.rowLimit,
          limits,
          elapsedMs: Math.round((performance.now() - started) * 10) / 10,
        };
      } catch (error) {
        throw translatePgError(error, {
          sql: statement,
          prefixLength: prefix.length,
          statementTimeoutMs: settings.statementTimeoutMs,
          lockTimeoutMs: settings.lockTimeoutMs,
        });
      }
    }),
  );
}
