/**
 * A small PostgreSQL lexer: enough to split a script into statements and list the bare words of each, never
 * fooled by a `;` or a keyword inside a string, a quoted identifier, a dollar-quoted body or a comment.
 * It is the first of several guards (the read-only transaction is the one Postgres enforces), so its job is
 * clear error messages, not the final say.
 */

export interface ScannedStatement {
  /** The statement's text without its terminating `;`, trimmed. */
  readonly text: string;
  /** Unquoted words outside strings and comments, upper-cased, in order (`SELECT`, `FROM`, `USERS`, …). */
  readonly words: readonly string[];
  /** True when the statement holds nothing but comments and whitespace. */
  readonly empty: boolean;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Index just past a string literal that opens at `start` (the quote), honouring '' and E'…\'' escapes. */
function skipString(sql: string, start: number, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === "'") {
      if (sql[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

function skipQuotedIdentifier(sql: string, start: number): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === '"') {
      if (sql[i + 1] === '"') {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/** Nested block comments, as Postgres allows. */
function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** `$tag$ … $tag$`; returns null when the `$` starts a parameter (`$1`) rather than a dollar quote. */
function skipDollarQuote(sql: string, start: number): number | null {
  const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start));
  if (!tag) return null;
  const end = sql.indexOf(tag[0], start + tag[0].length);
  return end === -1 ? sql.length : end + tag[0].length;
}

/** Split a script into statements. Comment-only pieces are kept (marked empty) so callers can ignore them. */
export function scanStatements(sql: string): ScannedStatement[] {
  const statements: ScannedStatement[] = [];
  let words: string[] = [];
  let start = 0;
  let i = 0;
  let meaningful = false;
  const finish = (end: number) => {
    const text = sql.slice(start, end).trim();
    if (text !== '') statements.push({ text, words, empty: !meaningful });
    words = [];
    meaningful = false;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    if (sql.startsWith('--', i)) {
      const newline = sql.indexOf('\n', i);
      i = newline === -1 ? sql.length : newline + 1;
    } else if (sql.startsWith('/*', i)) {
      i = skipBlockComment(sql, i);
    } else if (ch === "'") {
      i = skipString(sql, i, false);
      meaningful = true;
    } else if ((ch === 'E' || ch === 'e') && sql[i + 1] === "'") {
      i = skipString(sql, i + 1, true);
      meaningful = true;
    } else if (ch === '"') {
      i = skipQuotedIdentifier(sql, i);
      meaningful = true;
    } else if (ch === '$' && skipDollarQuote(sql, i) !== null) {
      i = skipDollarQuote(sql, i)!;
      meaningful = true;
    } else if (ch === ';') {
      finish(i);
      i++;
      start = i;
    } else if (WORD_START.test(ch)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
      words.push(sql.slice(i, end).toUpperCase());
      meaningful = true;
      i = end;
    } else {
      if (!/\s/.test(ch)) meaningful = true;
      i++;
    }
  }
  finish(sql.length);
  return statements;
}
