import { redactSecretsInText } from '../../shared/redact.js';
import { MIRROR_TABLES } from './tables.js';

export type MirrorErrorKind =
  | 'not-configured'
  | 'connection'
  | 'privileged-role'
  | 'empty'
  | 'multiple-statements'
  | 'write'
  | 'ddl'
  | 'transaction-control'
  | 'session-setting'
  | 'row-lock'
  | 'not-a-query'
  | 'read-only-violation'
  | 'timeout'
  | 'lock'
  | 'syntax'
  | 'undefined-object'
  | 'not-created'
  | 'invalid-input'
  | 'invalid-plan'
  | 'gave-up'
  | 'postgres';

/** Anything the mirror readers refuse or Postgres rejects, with a message that says what to do instead. */
export class MirrorQueryError extends Error {
  override readonly name = 'MirrorQueryError';
  constructor(
    readonly kind: MirrorErrorKind,
    message: string,
    readonly sqlState?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static is(error: unknown): error is MirrorQueryError {
    return error instanceof Error && error.name === 'MirrorQueryError';
  }
}

/** SQLSTATEs we branch on (Postgres appendix A). */
export const SQLSTATE = {
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  adminShutdown: '57P01',
  crashShutdown: '57P02',
  cannotConnectNow: '57P03',
  queryCanceled: '57014',
  readOnlySqlTransaction: '25006',
  syntaxError: '42601',
  undefinedTable: '42P01',
  undefinedColumn: '42703',
  undefinedFunction: '42883',
  insufficientPrivilege: '42501',
} as const;

/** Failures that say nothing about the query itself: another attempt on a fresh connection may succeed. */
export const TRANSIENT_SQLSTATES: readonly string[] = [
  SQLSTATE.serializationFailure,
  SQLSTATE.deadlockDetected,
  SQLSTATE.lockNotAvailable,
  SQLSTATE.adminShutdown,
  SQLSTATE.crashShutdown,
  SQLSTATE.cannotConnectNow,
  '08000',
  '08003',
  '08006',
];

/** Node socket errors that mean the connection went away under us. */
export const TRANSIENT_NODE_CODES: readonly string[] = ['ECONNRESET', 'EPIPE', 'ETIMEDOUT'];

export const SQLSTATE_NAMES: Readonly<Record<string, string>> = {
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '55P03': 'lock_not_available',
  '57P01': 'admin_shutdown (connection terminated)',
  '57P02': 'crash_shutdown',
  '57P03': 'cannot_connect_now',
  '57014': 'query_canceled',
  '25006': 'read_only_sql_transaction',
  '08000': 'connection_exception',
  '08003': 'connection_does_not_exist',
  '08006': 'connection_failure',
};

interface PgErrorLike {
  code?: string;
  position?: string;
  message: string;
  hint?: string;
}

export function pgErrorOf(error: unknown): PgErrorLike | null {
  return error instanceof Error ? (error as Error & PgErrorLike) : null;
}

/** Line and column of a 1-based character offset inside the user's SQL, for "syntax error at line 2:7". */
function locate(sql: string, offset: number): string {
  const before = sql.slice(0, Math.max(0, offset - 1));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * Turn a Postgres error raised while running the user's statement into a MirrorQueryError. `prefixLength` is
 * how many characters we put before the user's SQL (DECLARE … FOR / EXPLAIN …), so positions point into it.
 */
export function translatePgError(
  error: unknown,
  context: { sql: string; prefixLength: number; statementTimeoutMs: number; lockTimeoutMs: number },
): MirrorQueryError {
  if (MirrorQueryError.is(error)) return error;
  const pgError = pgErrorOf(error);
  const message = redactSecretsInText(pgError?.message ?? String(error));
  const code = pgError?.code;
  const position = pgError?.position ? Number(pgError.position) - context.prefixLength : null;
  const where = position && position > 0 ? ` (at ${locate(context.sql, position)})` : '';
  const hint = pgError?.hint ? ` Hint: ${pgError.hint}` : '';
  switch (code) {
    case SQLSTATE.queryCanceled:
      return new MirrorQueryError(
        'timeout',
        `The query ran longer than the ${context.statementTimeoutMs} ms statement timeout and was cancelled. Add a WHERE clause or a LIMIT, or profile it to see where the time goes.`,
        code,
      );
    // The sync engine holds an empty mirror table this way while it copies the table's first snapshot into it
    // (its indexes are built after the copy, main/sync/target/deferred-indexes.ts).
    case SQLSTATE.lockNotAvailable:
      return new MirrorQueryError(
        'lock',
        `Another session held a lock on a table this query reads for longer than the ${context.lockTimeoutMs} ms lock timeout. While the sync engine copies an empty mirror table's first snapshot, that table stays locked until the copy commits: try again in a moment, or look for the holder in pg_locks / pg_stat_activity.`,
        code,
      );
    case SQLSTATE.readOnlySqlTransaction:
      return new MirrorQueryError(
        'read-only-violation',
        `Postgres refused the statement because the transaction is read-only: ${message}. The mirror is written only by the sync engine.`,
        code,
      );
    case SQLSTATE.syntaxError:
      return new MirrorQueryError('syntax', `SQL syntax error${where}: ${message}.${hint}`, code);
    // Only an unknown table is answered with the mirror's tables; a wrong column or function gets Postgres's own
    // words (and its "Perhaps you meant" hint), not a list that has nothing to do with it.
    case SQLSTATE.undefinedTable:
      return new MirrorQueryError(
        'undefined-object',
        `${message}${where}.${hint} The mirror's tables (when their mappings sync) are ${MIRROR_TABLES.map((t) => t.table).join(', ')}.`,
        code,
      );
    case SQLSTATE.undefinedColumn:
    case SQLSTATE.undefinedFunction:
      return new MirrorQueryError('undefined-object', `${message}${where}.${hint}`, code);
    default:
      return new MirrorQueryError(
        'postgres',
        `Postgres error${code ? ` ${code}` : ''}${where}: ${message}.${hint}`,
        code,
        { cause: error },
      );
  }
}
