import { MirrorQueryError } from './errors.js';
import { scanStatements } from './sql-statements.js';

/**
 * The lexical guard in front of every user statement. It explains refusals in plain words; the READ ONLY
 * transaction, the extended protocol (one statement per message) and the unconditional ROLLBACK are what make
 * writing impossible even if something slipped past it.
 */

const READ_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);
const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE', 'COPY', 'UPSERT']);
const DDL = new Set([
  'CREATE',
  'ALTER',
  'DROP',
  'COMMENT',
  'GRANT',
  'REVOKE',
  'REINDEX',
  'CLUSTER',
  'VACUUM',
  'ANALYZE',
  'ANALYSE',
  'REFRESH',
  'SECURITY',
  'IMPORT',
  'REASSIGN',
]);
const TRANSACTION_CONTROL = new Set([
  'BEGIN',
  'START',
  'COMMIT',
  'END',
  'ROLLBACK',
  'ABORT',
  'SAVEPOINT',
  'RELEASE',
  'PREPARE',
]);
const SESSION = new Set(['SET', 'RESET', 'DISCARD', 'LOAD', 'LISTEN', 'UNLISTEN', 'NOTIFY', 'LOCK']);
const PROCEDURAL = new Set([
  'DO',
  'CALL',
  'EXECUTE',
  'DEALLOCATE',
  'DECLARE',
  'FETCH',
  'MOVE',
  'CLOSE',
  'CHECKPOINT',
]);
const MODIFYING_IN_QUERY = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

const ONE_READ_ONLY_TX =
  'Each call runs exactly one statement in its own READ ONLY transaction, which is always rolled back.';

function refuseFirstWord(first: string, words: readonly string[]): never {
  if (WRITES.has(first)) {
    throw new MirrorQueryError(
      'write',
      `${first} is refused: the mirror is read-only here (the sync engine is its only writer). Ask with a SELECT instead.`,
    );
  }
  if (DDL.has(first)) {
    throw new MirrorQueryError(
      'ddl',
      `${first} is refused: schema changes and maintenance commands are not allowed on the mirror. Only SELECT, WITH, VALUES and TABLE queries run.`,
    );
  }
  if (TRANSACTION_CONTROL.has(first)) {
    throw new MirrorQueryError(
      'transaction-control',
      `Transaction control (${first}) is refused. ${ONE_READ_ONLY_TX}`,
    );
  }
  if (first === 'SET' && words[1] === 'TRANSACTION') {
    throw new MirrorQueryError(
      'transaction-control',
      `SET TRANSACTION is refused: the transaction stays READ ONLY and cannot be switched to READ WRITE. ${ONE_READ_ONLY_TX}`,
    );
  }
  if (SESSION.has(first)) {
    throw new MirrorQueryError(
      'session-setting',
      `${first} is refused: session settings, locks and notifications are not allowed. To read a setting, SELECT current_setting('name').`,
    );
  }
  if (first === 'EXPLAIN') {
    throw new MirrorQueryError(
      'not-a-query',
      'EXPLAIN is refused here: pass the bare SELECT to the profiler, which runs EXPLAIN (ANALYZE, BUFFERS) safely.',
    );
  }
  if (first === 'SHOW') {
    throw new MirrorQueryError(
      'not-a-query',
      "SHOW is refused: use SELECT current_setting('name') (or SELECT * FROM pg_settings) instead.",
    );
  }
  throw new MirrorQueryError(
    'not-a-query',
    `${first} is refused: only SELECT, WITH, VALUES and TABLE queries run against the mirror.`,
  );
}

/** Words we recognise as a non-query command; anything else goes to Postgres, whose parser names the typo. */
function isKnownCommand(first: string): boolean {
  return (
    [WRITES, DDL, TRANSACTION_CONTROL, SESSION, PROCEDURAL].some((set) => set.has(first)) ||
    first === 'EXPLAIN' ||
    first === 'SHOW'
  );
}

/** Locking clauses: FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE. */
function hasRowLock(words: readonly string[]): boolean {
  return words.some(
    (word, i) =>
      word === 'FOR' &&
      (words[i + 1] === 'UPDATE' ||
        words[i + 1] === 'SHARE' ||
        (words[i + 1] === 'NO' && words[i + 2] === 'KEY') ||
        (words[i + 1] === 'KEY' && words[i + 2] === 'SHARE')),
  );
}

/**
 * Check that `sql` is exactly one read-only query and return it without its trailing semicolon.
 * Throws a MirrorQueryError that names the problem and what to do instead.
 */
export function checkReadOnlyStatement(sql: string): string {
  const statements = scanStatements(sql).filter((s) => !s.empty);
  if (statements.length === 0) {
    throw new MirrorQueryError('empty', 'The query is empty: pass one SELECT statement.');
  }
  if (statements.length > 1) {
    const starts = statements.map((s) => s.words[0] ?? '?').join('; ');
    throw new MirrorQueryError(
      'multiple-statements',
      `Exactly one statement is allowed, found ${statements.length} (${starts}). ${ONE_READ_ONLY_TX}`,
    );
  }
  const statement = statements[0]!;
  const words = statement.words;
  const startsWithParen = statement.text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').startsWith('(');
  const first = words[0] ?? '';
  if (!startsWithParen && !READ_STARTS.has(first) && isKnownCommand(first)) refuseFirstWord(first, words);
  if (hasRowLock(words)) {
    throw new MirrorQueryError(
      'row-lock',
      'Row-locking clauses (FOR UPDATE / FOR SHARE) are refused: they take write locks. Drop the clause; the query reads a consistent snapshot anyway.',
    );
  }
  const modifying = words.find((word) => MODIFYING_IN_QUERY.has(word));
  if (modifying) {
    throw new MirrorQueryError(
      'write',
      `${modifying} inside a query is refused (a data-modifying WITH clause writes to the mirror). If ${modifying.toLowerCase()} is a column name, double-quote it.`,
    );
  }
  if (words.includes('INTO')) {
    throw new MirrorQueryError(
      'write',
      'SELECT … INTO is refused: it creates a table. Drop the INTO clause to just read the rows.',
    );
  }
  return statement.text;
}
