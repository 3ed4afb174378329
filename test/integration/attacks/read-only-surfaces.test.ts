import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_FILE, LEGACY_PASSWORD } from '../../../main/postgres/index.js';
import { connectInMemory, mcpConfig, structuredOf, textOf } from '../../helpers/mcp.js';
import { waitUntil } from '../../helpers/wait.js';
import { createTestWorkspace, type TestWorkspace } from '../../helpers/workspace.js';

// Attacks (issue 12, items 1, 2 and 9) on a real emulator project in the workspace: its Mirror console (the UI's
// API) and `mcp --project` (query_mirror, profile_query) used to run as the cluster's superuser, so a "read-only"
// query could read server files, WAL (with the emulator's keys), password hashes, and kill the sync's and the
// emulator's connections. Removing the project left its cluster and mcp.json (mirror URL with password) behind.

let ws: TestWorkspace;
let project: string;
let mcp: Awaited<ReturnType<typeof connectInMemory>>;

beforeAll(async () => {
  ws = createTestWorkspace();
  project = (await ws.call('projects.create', { kind: 'emulator' })).id;
  const runtime = await waitUntil(
    async () => ws.workspace.runtimeState(project),
    (state) => state.state === 'running' || state.state === 'failed',
    'the emulator project to start',
    150_000,
  );
  expect(runtime).toMatchObject({ state: 'running' });
  mcp = await connectInMemory(mcpConfig({ project }));
}, 200_000);

afterAll(async () => {
  await mcp?.close();
  await ws?.close();
});

/** A process that exited but was not reaped yet (a zombie) no longer runs. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const clusterDir = () => join(ws.dataDir, 'clusters', project);
const projectDir = () => join(ws.dataDir, 'projects', project);

/** What a hostile query (a prompt-injected agent, a pasted snippet) tries through a read-only surface. */
const ATTACKS: ReadonlyArray<readonly [string, string]> = [
  ['read a server file', "SELECT pg_read_file('/etc/passwd')"],
  ['list a server folder', "SELECT pg_ls_dir('.')"],
  ['read password hashes', 'SELECT rolname, rolpassword FROM pg_authid'],
  ['read cluster files (WAL, control file)', "SELECT pg_read_binary_file('global/pg_control')"],
  [
    "kill the sync's and the emulator's connections",
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()',
  ],
  ['run a program', "COPY (SELECT 1) TO PROGRAM 'id'"],
];

describe('the Mirror console (UI API) runs as a role that can only read', () => {
  it('is not a superuser, nor a member of any role that reaches past the mirror', async () => {
    const result = await ws.call('mirror.query', {
      project,
      sql: `SELECT r.rolsuper, current_user,
                   (SELECT count(*) FROM pg_auth_members m WHERE m.member = r.oid) AS memberships
              FROM pg_roles r WHERE r.rolname = current_user`,
    });
    expect(result.rows).toEqual([[false, 'hexclave_mirror_reader', '0']]);
  });

  it.each(ATTACKS)('refuses to %s', async (_label, sql) => {
    await expect(ws.call('mirror.query', { project, sql })).rejects.toMatchObject({
      message: expect.stringMatching(/permission denied|must be superuser|refused/i),
    });
  });

  it('still reads the mirror, and the sync and the emulator still run after the attempts', async () => {
    const result = await ws.call('mirror.query', { project, sql: 'SELECT count(*) FROM users' });
    expect(result.rows).toHaveLength(1);
    const health = await fetch(`${ws.workspace.runtimeState(project).apiUrl}/api/v1`);
    expect(health.status).toBeLessThan(500);
    expect((await ws.call('sync.status', { project })).status?.targets[0]?.lastError ?? null).toBeNull();
  });
});

describe('MCP (mcp --project) runs as the same read-only role', () => {
  it('query_mirror: current_user is not a superuser', async () => {
    const result = await mcp.call('query_mirror', {
      sql: 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(structuredOf<{ rows: unknown[][] }>(result).rows).toEqual([[false]]);
  });

  it('profile_query: current_user is not a superuser', async () => {
    const result = await mcp.call('profile_query', {
      sql: 'SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper',
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(structuredOf<{ nodes: { actualRows: number }[] }>(result).nodes[0]?.actualRows).toBe(0);
  });

  it.each(ATTACKS)('query_mirror refuses to %s', async (_label, sql) => {
    const result = await mcp.call('query_mirror', { sql });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/permission denied|must be superuser|refused/i);
  });

  it.each(ATTACKS)('profile_query refuses to %s', async (_label, sql) => {
    const result = await mcp.call('profile_query', { sql });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/permission denied|must be superuser|refused/i);
  });

  it("cannot even connect to the emulator's internal database", async () => {
    const descriptor = JSON.parse(readFileSync(join(projectDir(), 'mcp.json'), 'utf8'));
    const internal = new URL(descriptor.mirrorDatabaseUrl);
    internal.pathname = '/hexclave_emulator';
    const client = new pg.Client({ connectionString: internal.toString() });
    client.on('error', () => {});
    const error = await client.connect().catch((e: unknown) => e);
    await client.end().catch(() => {});
    expect((error as { code?: string }).code).toBe('42501');
  });
});

describe('secrets on disk', () => {
  it('every file holding a secret is 0600: secret store, MCP descriptor, cluster credentials', () => {
    const files = [
      join(ws.dataDir, 'secrets.json'),
      join(projectDir(), 'mcp.json'),
      join(clusterDir(), 'postgres', CREDENTIALS_FILE),
    ];
    for (const file of files) expect([file, statSync(file).mode & 0o777]).toEqual([file, 0o600]);
    const descriptor = JSON.parse(readFileSync(join(projectDir(), 'mcp.json'), 'utf8'));
    expect(new URL(descriptor.mirrorDatabaseUrl).username).toBe('hexclave_mirror_reader');
  });

  it('the UI is told that keys live in a 0600 file when no OS keychain is used (serve mode)', async () => {
    const { secretStore } = await ws.call('projects.list', {});
    expect(secretStore.kind).toBe('file');
    expect(secretStore.warning).toContain(join(ws.dataDir, 'secrets.json'));
    expect(secretStore.warning).toContain('0600');
  });

  it("the project's cluster refuses the old fixed password", async () => {
    const port = new URL(JSON.parse(readFileSync(join(projectDir(), 'mcp.json'), 'utf8')).mirrorDatabaseUrl)
      .port;
    const client = new pg.Client({
      connectionString: `postgres://postgres:${LEGACY_PASSWORD}@127.0.0.1:${port}/postgres`,
    });
    client.on('error', () => {});
    const error = await client.connect().catch((e: unknown) => e);
    await client.end().catch(() => {});
    expect((error as { code?: string }).code).toBe('28P01');
  });
});

describe('Remove … and its data', () => {
  it('stops the project and leaves nothing of it on disk', async () => {
    const pidFile = join(clusterDir(), 'postgres', 'postmaster.pid');
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    expect(existsSync(join(projectDir(), 'mcp.json'))).toBe(true);

    await ws.call('projects.remove', { project });

    expect(existsSync(clusterDir())).toBe(false);
    expect(existsSync(projectDir())).toBe(false);
    expect(running(postmaster)).toBe(false);
    expect(readFileSync(join(ws.dataDir, 'projects.json'), 'utf8')).not.toContain(project);
    expect(readFileSync(join(ws.dataDir, 'secrets.json'), 'utf8')).not.toContain(project);
    expect((await ws.call('projects.list', {})).projects).toEqual([]);
  });
});
