import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIRROR_READER_ROLE } from '../../../main/mirror/index.js';
import { runCli } from '../../helpers/cli.js';
import { connectInMemory, mcpConfig, structuredOf, textOf } from '../../helpers/mcp.js';
import { loadMirrorFixture, withClient } from '../../helpers/mirror.js';
import { adminUrl, createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { waitUntil } from '../../helpers/wait.js';
import { createTestWorkspace, type TestWorkspace } from '../../helpers/workspace.js';

// A user gives the companion their own mirror URL, typically the one the sync engine writes with: a superuser or
// the tables' owner. The read-only surfaces must not run queries as that role; they say why and offer the exact
// statements that create a reader, and the CLI flag / UI button create it when the URL is allowed to.
// This file is the only one that creates the default reader role on the run's shared server.

let db: TestDatabase & { drop(): Promise<void> };
let writerUrl: string;

beforeAll(async () => {
  db = await createTestDatabase('external_mirror');
  await loadMirrorFixture(db.url);
  const writer = `${db.name}_writer`;
  await withClient(db.url, async (client) => {
    await client.query(`CREATE ROLE ${writer} LOGIN PASSWORD 'writer-password-1234'`);
    await client.query(`GRANT SELECT, INSERT ON users TO ${writer}`);
  });
  const url = new URL(db.url);
  url.username = writer;
  url.password = 'writer-password-1234';
  writerUrl = url.toString();
});

afterAll(async () => {
  await db?.drop();
  await withClient(adminUrl(), async (client) => {
    await client.query(`DROP ROLE IF EXISTS ${db.name}_writer`);
    await client.query(`DROP ROLE IF EXISTS ${MIRROR_READER_ROLE}`);
  });
});

/** The statements block and the URL line of a refusal. */
function offered(message: string): { statements: string; url: string } {
  const parts = message.split('\n\n');
  return { statements: parts[2]!, url: /Then connect with (\S+)/.exec(message)![1]! };
}

describe('MCP with a mirror URL whose role can do more than read', () => {
  it.each([
    ['query_mirror', { sql: "SELECT pg_read_file('/etc/passwd')" }],
    ['profile_query', { sql: 'SELECT 1' }],
    ['find_user', { query: 'anyone' }],
  ])(
    '%s refuses a superuser URL before running anything, with the statements that fix it',
    async (tool, args) => {
      const mcp = await connectInMemory(mcpConfig({ mirrorDatabaseUrl: db.url }));
      try {
        const result = await mcp.call(tool, args);
        expect(result.isError).toBe(true);
        const text = textOf(result);
        expect(text).toMatch(/role "postgres" is not read-only — it is a superuser/);
        expect(text).not.toContain('root:');
        expect(text).toContain(`CREATE ROLE "${MIRROR_READER_ROLE}" LOGIN PASSWORD '`);
        expect(text).toContain(`GRANT CONNECT ON DATABASE "${db.name}" TO "${MIRROR_READER_ROLE}";`);
        expect(text).toContain(`GRANT SELECT ON ALL TABLES IN SCHEMA "public" TO "${MIRROR_READER_ROLE}";`);
        expect(text).toContain('--create-reader-role');
      } finally {
        await mcp.close();
      }
    },
  );

  it('refuses a role that can write a mirror table, naming the table', async () => {
    const mcp = await connectInMemory(mcpConfig({ mirrorDatabaseUrl: writerUrl }));
    try {
      const result = await mcp.call('query_mirror', { sql: 'SELECT 1' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/it can write or owns mirror tables \(users\)/);
    } finally {
      await mcp.close();
    }
  });

  it('the offered statements, run as the owner, give a URL that works and is read-only', async () => {
    const mcp = await connectInMemory(mcpConfig({ mirrorDatabaseUrl: db.url }));
    const { statements, url } = offered(textOf(await mcp.call('query_mirror', { sql: 'SELECT 1' })));
    await mcp.close();
    await withClient(db.url, (client) => client.query(statements));
    const reader = await connectInMemory(mcpConfig({ mirrorDatabaseUrl: url }));
    try {
      const ok = await reader.call('query_mirror', { sql: 'SELECT count(*) AS n FROM users' });
      expect(ok.isError, textOf(ok)).toBeFalsy();
      const file = await reader.call('query_mirror', { sql: "SELECT pg_read_file('/etc/passwd')" });
      expect(textOf(file)).toMatch(/permission denied/);
    } finally {
      await reader.close();
    }
  });

  it('mcp --create-reader-role creates (or resets) the role and prints a URL that works', async () => {
    const result = await runCli(['mcp', '--mirror-database-url', db.url, '--create-reader-role']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Created the read-only role "${MIRROR_READER_ROLE}"`);
    const url = /^HEXCLAVE_MIRROR_DATABASE_URL=(\S+)\n$/.exec(result.stdout)?.[1];
    expect(url).toBeDefined();
    const reader = await connectInMemory(mcpConfig({ mirrorDatabaseUrl: url! }));
    try {
      const ok = await reader.call('query_mirror', {
        sql: 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
      });
      expect(structuredOf<{ rows: unknown[][] }>(ok).rows).toEqual([[false]]);
    } finally {
      await reader.close();
    }
  });

  it('mcp --create-reader-role through a URL that may not create roles fails with one line', async () => {
    const result = await runCli(['mcp', '--mirror-database-url', writerUrl, '--create-reader-role']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: Could not create the read-only role .*permission denied/);
    expect(result.stderr).not.toContain('writer-password-1234');
  });
});

describe('the Mirror console of a project with an external mirror', () => {
  let ws: TestWorkspace;
  let project: string;

  beforeAll(async () => {
    ws = createTestWorkspace();
    project = (
      await ws.call('projects.create', {
        kind: 'connected',
        apiUrl: 'http://127.0.0.1:9',
        projectId: 'external-mirror-test',
        mirrorDatabaseUrl: db.url,
      })
    ).id;
    await waitUntil(
      async () => ws.workspace.runtimeState(project),
      (state) => state.state === 'running' || state.state === 'failed',
      'the connected project to start',
      120_000,
    );
  }, 150_000);

  afterAll(async () => {
    await ws?.close();
  });

  it('refuses the superuser URL with the statements, then the button creates the reader and reads work', async () => {
    await expect(ws.call('mirror.query', { project, sql: 'SELECT 1' })).rejects.toMatchObject({
      name: 'Mirror:privileged-role',
      message: expect.stringContaining('CREATE ROLE'),
    });
    await expect(ws.call('mirror.tables', { project })).rejects.toMatchObject({
      name: 'Mirror:privileged-role',
    });

    expect(await ws.call('mirror.createReader', { project })).toEqual({
      role: MIRROR_READER_ROLE,
      created: true,
    });

    const who = await ws.call('mirror.query', {
      project,
      sql: 'SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user',
    });
    expect(who.rows).toEqual([[MIRROR_READER_ROLE, false]]);
    const descriptor = JSON.parse(readFileSync(join(ws.dataDir, 'projects', project, 'mcp.json'), 'utf8'));
    expect(new URL(descriptor.mirrorDatabaseUrl).username).toBe(MIRROR_READER_ROLE);
  });
});
