import { describe, expect, it } from 'vitest';
import { checkReadOnlyStatement, MirrorQueryError, scanStatements } from '../../../main/mirror/index.js';

function refusal(sql: string): { kind: string; message: string } {
  try {
    checkReadOnlyStatement(sql);
  } catch (error) {
    if (MirrorQueryError.is(error)) return { kind: error.kind, message: error.message };
    throw error;
  }
  throw new Error(`expected "${sql}" to be refused`);
}

describe('SQL statement scanner', () => {
  it('never splits on a semicolon inside strings, quoted identifiers, dollar quotes or comments', () => {
    const sql = `SELECT 'a;b', E'it\\'s;', "odd;name", $$x;y$$, $tag$ ; $tag$ -- trailing; comment
      /* block ; /* nested ; */ still comment */ FROM users`;
    const statements = scanStatements(sql);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.words).toEqual(['SELECT', 'FROM', 'USERS']);
  });

  it('treats $1 as a parameter, not the start of a dollar quote', () => {
    expect(scanStatements('SELECT $1; DELETE FROM users').map((s) => s.words[0])).toEqual([
      'SELECT',
      'DELETE',
    ]);
  });

  it('marks comment-only pieces as empty', () => {
    expect(scanStatements('SELECT 1; -- done').map((s) => s.empty)).toEqual([false, true]);
  });
});

describe('read-only guard', () => {
  it('accepts one SELECT-like statement and strips the trailing semicolon', () => {
    expect(checkReadOnlyStatement('  SELECT * FROM users;  ')).toBe('SELECT * FROM users');
    expect(checkReadOnlyStatement('WITH u AS (SELECT id FROM users) SELECT count(*) FROM u')).toContain(
      'WITH',
    );
    expect(checkReadOnlyStatement('VALUES (1), (2)')).toBe('VALUES (1), (2)');
    expect(checkReadOnlyStatement('TABLE users')).toBe('TABLE users');
    expect(checkReadOnlyStatement('-- why\n(SELECT 1)')).toContain('(SELECT 1)');
    expect(
      checkReadOnlyStatement(`SELECT 'delete from users; drop table users' AS note, "update" FROM t`),
    ).toContain('note');
  });

  it.each([
    ['INSERT INTO users (id) VALUES (gen_random_uuid())', 'write'],
    ["UPDATE users SET display_name = 'x'", 'write'],
    ['DELETE FROM users', 'write'],
    ['TRUNCATE users', 'write'],
    ['COPY users TO STDOUT', 'write'],
    ['MERGE INTO users u USING teams t ON false WHEN NOT MATCHED THEN DO NOTHING', 'write'],
    ['CREATE TABLE x (id int)', 'ddl'],
    ['DROP TABLE users', 'ddl'],
    ['ALTER TABLE users ADD COLUMN x int', 'ddl'],
    ['GRANT ALL ON users TO PUBLIC', 'ddl'],
    ['COMMIT', 'transaction-control'],
    ['ROLLBACK', 'transaction-control'],
    ['BEGIN READ WRITE', 'transaction-control'],
    ['SET TRANSACTION READ WRITE', 'transaction-control'],
    ['SET default_transaction_read_only = off', 'session-setting'],
    ['LOCK TABLE users', 'session-setting'],
    ['DO $$ BEGIN DELETE FROM users; END $$', 'not-a-query'],
    ['EXPLAIN ANALYZE DELETE FROM users', 'not-a-query'],
    ['SHOW search_path', 'not-a-query'],
    ['', 'empty'],
    ['-- nothing', 'empty'],
  ])('refuses %s (%s)', (sql, kind) => {
    expect(refusal(sql).kind).toBe(kind);
  });

  it('refuses several statements, including COMMIT/ROLLBACK smuggling, naming each one', () => {
    expect(refusal('SELECT 1; DELETE FROM users')).toMatchObject({ kind: 'multiple-statements' });
    expect(refusal('COMMIT; DELETE FROM users').message).toContain('found 2 (COMMIT; DELETE)');
    expect(refusal('SELECT 1; ROLLBACK; BEGIN; DROP TABLE users; COMMIT').message).toContain('found 5');
    expect(refusal('select 1;set transaction read write;delete from users').kind).toBe('multiple-statements');
  });

  it('refuses writes hidden inside a query: data-modifying WITH, SELECT INTO, row locks', () => {
    expect(refusal('WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone').kind).toBe(
      'write',
    );
    expect(refusal('SELECT * INTO copy_of_users FROM users').kind).toBe('write');
    expect(refusal('SELECT * FROM users FOR UPDATE').kind).toBe('row-lock');
    expect(refusal('SELECT * FROM users FOR NO KEY UPDATE').kind).toBe('row-lock');
    expect(refusal('SELECT * FROM users FOR KEY SHARE').kind).toBe('row-lock');
  });

  it('leaves typos to the Postgres parser, which names them', () => {
    expect(checkReadOnlyStatement('SELEC 1')).toBe('SELEC 1');
  });
});
