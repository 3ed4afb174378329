import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectedMcp, connectInMemory, mcpConfig, structuredOf, textOf } from '../../helpers/mcp.js';
import {
  type MirrorFingerprint,
  mirrorFingerprint,
  setupMirrorDatabase,
  withClient,
} from '../../helpers/mirror.js';

// query_mirror and profile_query must never change the mirror, whatever SQL an AI editor sends. Every attempt
// below goes through the real tool against a real Postgres mirror; afterwards every table's row count and an
// md5 over its rows, the list of relations and every column are compared with the snapshot taken before.

const mirror = setupMirrorDatabase();
let mcp: ConnectedMcp;
let before: MirrorFingerprint;

beforeAll(async () => {
  await withClient(mirror().url, async (client) => {
    // Server-side code that writes: it passes the lexical guard (a plain SELECT), so only the READ ONLY
    // transaction can stop it. A user would not have these; they stand in for any volatile function.
    await client.query(`
      CREATE SEQUENCE probe_seq;
      CREATE FUNCTION mirror_write_probe() RETURNS int LANGUAGE sql VOLATILE AS
        $$ INSERT INTO users (id, signed_up_at) VALUES (gen_random_uuid(), now()) RETURNING 1 $$;
      CREATE PROCEDURE mirror_delete_probe() LANGUAGE sql AS $$ DELETE FROM users $$;`);
  });
  mcp = await connectInMemory(mcpConfig({ mirrorDatabaseUrl: mirror().readerUrl }));
  before = await mirrorFingerprint(mirror().url);
});

afterAll(async () => {
  await mcp?.close();
});

const WRITE_ATTEMPTS: ReadonlyArray<readonly [label: string, sql: string]> = [
  ['INSERT', "INSERT INTO users (id, signed_up_at) VALUES ('44444444-4444-4444-8444-444444444444', now())"],
  ['UPDATE', "UPDATE users SET display_name = 'pwned'"],
  ['DELETE', 'DELETE FROM users'],
  ['TRUNCATE', 'TRUNCATE users, contact_channels'],
  ['MERGE', 'MERGE INTO teams t USING users u ON t.id = u.id WHEN NOT MATCHED THEN DO NOTHING'],
  ['COPY FROM', "COPY users FROM PROGRAM 'true'"],
  ['DDL: CREATE TABLE', 'CREATE TABLE evil (id int)'],
  ['DDL: DROP TABLE', 'DROP TABLE users'],
  ['DDL: ALTER TABLE', 'ALTER TABLE users ADD COLUMN evil int'],
  ['DDL: CREATE INDEX', 'CREATE INDEX evil_idx ON users (display_name)'],
  ['DDL: GRANT', 'GRANT ALL ON users TO PUBLIC'],
  ['DDL: COMMENT', "COMMENT ON TABLE users IS 'pwned'"],
  ['multiple statements', 'SELECT 1; DELETE FROM users'],
  ['multiple statements, write first', 'DELETE FROM users; SELECT 1'],
  ['SET TRANSACTION READ WRITE', 'SET TRANSACTION READ WRITE'],
  ['SET TRANSACTION READ WRITE then DELETE', 'SET TRANSACTION READ WRITE; DELETE FROM users'],
  ['SET SESSION CHARACTERISTICS', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE'],
  ['COMMIT smuggling', 'COMMIT; DELETE FROM users'],
  ['ROLLBACK smuggling', 'ROLLBACK; DELETE FROM users'],
  [
    'END smuggling',
    "END; INSERT INTO teams (id, display_name, created_at) VALUES (gen_random_uuid(), 'x', now())",
  ],
  ['BEGIN READ WRITE smuggling', 'SELECT 1; COMMIT; BEGIN READ WRITE; DROP TABLE users; COMMIT'],
  ['statement hidden after a comment line', 'SELECT 1 -- harmless\n; DELETE FROM users'],
  ['statement between dollar quotes', 'SELECT $$ $$; DELETE FROM users; SELECT $$ $$'],
  ['backslash string then a second statement', "SELECT '\\'; DELETE FROM users; --'"],
  ['data-modifying WITH', 'WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone'],
  ['SELECT INTO', 'SELECT * INTO users_copy FROM users'],
  ['row lock', 'SELECT * FROM users FOR UPDATE'],
  ['DO block', 'DO $$ BEGIN DELETE FROM users; END $$'],
  ['CALL', 'CALL mirror_delete_probe()'],
  ['EXPLAIN ANALYZE of a write', 'EXPLAIN ANALYZE DELETE FROM users'],
  ['LOCK', 'LOCK TABLE users IN ACCESS EXCLUSIVE MODE'],
  ['volatile function that writes', 'SELECT mirror_write_probe()'],
  ['sequence bump', "SELECT nextval('probe_seq')"],
];

describe.each(['query_mirror', 'profile_query'])('%s cannot write to the mirror', (tool) => {
  it.each(WRITE_ATTEMPTS)('refuses %s with an explanation', async (_label, sql) => {
    const result = await mcp.call(tool, { sql });
    expect(result.isError).toBe(true);
    // The role itself may refuse first (the reader has no USAGE on the sequence): also a refusal.
    expect(textOf(result)).toMatch(/refused|read-only|Exactly one statement|permission denied/i);
  });

  it('leaves every table, row, column and relation exactly as it was', async () => {
    expect(await mirrorFingerprint(mirror().url)).toEqual(before);
    expect(before.tables['public.users']?.rows).toBe(3);
  });
});

describe('what still works', () => {
  it('lets a harmless statement with a ; inside a comment or string through', async () => {
    const result = await mcp.call('query_mirror', {
      sql: "SELECT 'a; DELETE FROM users' AS text /* ; DROP TABLE users; */",
    });
    expect(structuredOf<{ rows: unknown[][] }>(result).rows).toEqual([['a; DELETE FROM users']]);
  });

  it('reports Postgres’s own read-only refusal when server-side code tries to write', async () => {
    const result = await mcp.call('query_mirror', { sql: 'SELECT mirror_write_probe()' });
    expect(textOf(result)).toMatch(/Postgres refused the statement because the transaction is read-only/);
  });

  it('leaves no lasting session or transaction state behind (each call opens and closes its own connection)', async () => {
    await mcp.call('query_mirror', { sql: "SELECT set_config('statement_timeout', '1', false)" });
    const result = await mcp.call('query_mirror', { sql: "SELECT current_setting('transaction_read_only')" });
    expect(structuredOf<{ rows: unknown[][] }>(result).rows).toEqual([['on']]);
    const openConnections = () =>
      withClient(mirror().url, async (client) => {
        const open = await client.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'hexclave-companion-mcp'",
        );
        return open.rows[0]!.n;
      });
    await expect.poll(openConnections, { timeout: 5000 }).toBe(0);
  });
});

describe('the fingerprint itself', () => {
  it('notices a one-row change and its undo, so the equality checks above can fail', async () => {
    const rename = (name: string | null) =>
      withClient(mirror().url, (client) =>
        client.query("UPDATE users SET display_name = $1 WHERE id = '33333333-3333-4333-8333-333333333333'", [
          name,
        ]),
      );
    await rename('changed');
    expect(await mirrorFingerprint(mirror().url)).not.toEqual(before);
    await rename(null);
    expect(await mirrorFingerprint(mirror().url)).toEqual(before);
  });
});
