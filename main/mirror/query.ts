import { performance } from 'node:perf_hooks';
import {
  inReadOnlyTransaction,
  type MirrorSettings,
  singleStatement,
  withMirrorSession,
} from './connection.js';
import { translatePgError } from './errors.js';
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
  /** True when the query had more rows than `rowLimit`; only the first `rowLimit` are returned. */
  readonly truncated: boolean;
  readonly rowLimit: number;
  readonly elapsedMs: number;
}

const CURSOR = 'hexclave_mirror_query';

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
 * (which Postgres only accepts for SELECT/VALUES queries) fetched up to `rowLimit` + 1 rows, then ROLLBACK.
 * The statement travels in the extended protocol, so a smuggled second statement cannot even be parsed.
 */
export async function runReadOnlyQuery(
  settings: MirrorSettings,
  sql: string,
  options: { rowLimit: number },
): Promise<ReadOnlyQueryResult> {
  const statement = checkReadOnlyStatement(sql);
  const prefix = `DECLARE ${CURSOR} NO SCROLL CURSOR FOR `;
  const started = performance.now();
  return withMirrorSession(settings, (session) =>
    inReadOnlyTransaction(session, settings, async () => {
      const { client } = session;
      try {
        await client.query(singleStatement(`${prefix}${statement}\n`));
        const fetched = await client.query({
          text: `FETCH FORWARD ${options.rowLimit + 1} FROM ${CURSOR}`,
          rowMode: 'array',
        });
        const typeNames = await client.query<{ oid: number; name: string }>(
          'SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::oid[])',
          [[...new Set(fetched.fields.map((f) => f.dataTypeID))]],
        );
        const typeOf = new Map(typeNames.rows.map((r) => [r.oid, r.name]));
        const rows = (fetched.rows as unknown[][])
          .slice(0, options.rowLimit)
          .map((row) => row.map(toJsonValue));
        return {
          columns: fetched.fields.map((f) => ({ name: f.name, type: typeOf.get(f.dataTypeID) ?? 'unknown' })),
          rows,
          rowCount: rows.length,
          truncated: fetched.rows.length > options.rowLimit,
          rowLimit: options.rowLimit,
          elapsedMs: Math.round((performance.now() - started) * 10) / 10,
        };
      } catch (error) {
        throw translatePgError(error, {
          sql: statement,
          prefixLength: prefix.length,
          statementTimeoutMs: settings.statementTimeoutMs,
        });
      }
    }),
  );
}
