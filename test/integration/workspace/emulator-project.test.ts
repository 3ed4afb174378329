import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../main/emulator/index.js';
import { apiHeaders } from '../../helpers/emulator.js';
import { waitUntil } from '../../helpers/wait.js';
import { createTestWorkspace, type TestWorkspace } from '../../helpers/workspace.js';

let ws: TestWorkspace;
let project: string;

function emulatorOf(): RunningEmulator {
  const summary = ws.workspace.projects.get(project);
  return {
    apiUrl: ws.workspace.runtimeState(project).apiUrl!,
    projectId: summary.projectId!,
    publishableClientKey: summary.publishableClientKey!,
    secretServerKey: ws.workspace.projects.secret(project, 'secretServerKey')!,
    superSecretAdminKey: ws.workspace.projects.secret(project, 'superSecretAdminKey')!,
  } as RunningEmulator;
}

async function createUser(email: string, via: 'direct' | 'proxy' = 'direct') {
  const emulator = emulatorOf();
  const base = via === 'proxy' ? ws.workspace.runtimeState(project).proxyUrl! : emulator.apiUrl;
  const response = await fetch(`${base}/api/v1/users`, {
    method: 'POST',
    headers: {
      ...apiHeaders(emulator, { access: 'server', family: 'hexclave' }),
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      primary_email: email,
      primary_email_auth_enabled: true,
      display_name: email.split('@')[0],
    }),
  });
  expect(response.status).toBe(201);
}

const mirrorEmails = async () => {
  const page = await ws.call('mirror.browse', { project, table: 'users', search: '', limit: 500, offset: 0 });
  const column = page.columns.indexOf('primary_email');
  return page.rows.map((row) => row[column] as string);
};

beforeAll(async () => {
  ws = createTestWorkspace();
  const created = await ws.call('projects.create', { kind: 'emulator' });
  project = created.id;
  await waitUntil(
    async () => (await ws.call('projects.list', {})).projects.find((p) => p.id === project)!.runtime,
    (runtime) => runtime.state === 'running' || runtime.state === 'failed',
    'the emulator project to start',
    120_000,
  );
}, 180_000);

afterAll(async () => {
  await ws?.close();
});

describe('an emulator project in the workspace', () => {
  it('starts with no configuration, runs in a worker and keeps secrets out of the project list', async () => {
    const listed = (await ws.call('projects.list', {})).projects.find((p) => p.id === project)!;
    expect(listed.runtime).toMatchObject({ state: 'running', message: null });
    expect(listed.runtime.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listed.runtime.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listed.secrets).toMatchObject({ secretServerKey: true, superSecretAdminKey: true });
    expect(JSON.stringify(listed)).not.toMatch(/ssk_|sak_/);
  });

  it('mirrors users created in the emulator, with live status', async () => {
    await createUser('first@example.com');
    await waitUntil(mirrorEmails, (emails) => emails.includes('first@example.com'), 'the user in the mirror');
    const { status, samples } = await ws.call('sync.status', { project });
    expect(status?.targets[0]?.mappings.map((m) => m.mapping)).toContain('users');
    expect(samples.length).toBeGreaterThan(0);
  });

  it('pauses on the fusebox, shows the backlog, then drains when switched back on', async () => {
    await ws.call('sync.setStage', { project, stage: 'workers', enabled: false });
    await createUser('paused@example.com');
    await waitUntil(
      async () => (await ws.call('sync.status', { project })).status,
      (status) => (status?.targets[0]?.mappings.find((m) => m.mapping === 'users')?.backlogRows ?? 0) > 0,
      'a users backlog while workers are off',
    );
    expect(await mirrorEmails()).not.toContain('paused@example.com');
    await ws.call('sync.setStage', { project, stage: 'workers', enabled: true });
    await waitUntil(mirrorEmails, (emails) => emails.includes('paused@example.com'), 'the backlog to drain');
  });

  it('judges the emulator dual and keeps the run in its history with exports', async () => {
    const run = await ws.call('check.run', { project });
    expect(run.backendClass).toBe('dual');
    expect(run.errors).toBe(0);
    const { runs } = await ws.call('check.history', { project });
    expect(runs[0]?.id).toBe(run.id);
    const junit = await ws.call('check.export', { project, run: run.id, format: 'junit', unsafe: false });
    expect(junit.content).toContain('<testsuites');
    const har = await ws.call('check.export', { project, run: run.id, format: 'har', unsafe: false });
    expect(har.content).not.toMatch(/ssk_[a-z0-9]{10}/);
  });

  it('captures traffic sent through the project proxy, attributed and decoded', async () => {
    await createUser('proxied@example.com', 'proxy');
    const { items } = await waitUntil(
      () => ws.call('traffic.list', { project, afterSeq: 0, limit: 100 }),
      (list) => list.items.some((i) => i.url.endsWith('/api/v1/users') && i.method === 'POST'),
      'the proxied request in the traffic list',
    );
    const item = items.find((i) => i.method === 'POST')!;
    expect(item).toMatchObject({ source: 'proxy', family: 'new', status: 201 });
    const detail = await ws.call('traffic.get', { project, seq: item.seq });
    const projectRow = detail.requestPairs.find((p) => p.entryId === 'header.project-id')!;
    expect(projectRow).toMatchObject({ stackValue: null, hexclaveName: 'x-hexclave-project-id' });
    expect(detail.responsePairs.find((p) => p.entryId === 'header.request-id')).toMatchObject({
      differs: false,
    });
    expect(detail.curl).not.toMatch(/ssk_[a-z0-9]{10}/);
  });

  it('refuses writes in the SQL console and answers reads', async () => {
    await expect(ws.call('mirror.query', { project, sql: 'DELETE FROM users' })).rejects.toMatchObject({
      name: 'Mirror:write',
    });
    const result = await ws.call('mirror.query', { project, sql: 'SELECT count(*) AS n FROM users' });
    expect(Number(result.rows[0]?.[0])).toBeGreaterThanOrEqual(3);
  });

  it('serves MCP for the project, with sync_status from the running engine', async () => {
    const status = await ws.call('mcp.status', { project });
    expect(status.reachable).toBe(true);
    expect(status.tools).toEqual(expect.arrayContaining(['ask_hexclave', 'sync_status', 'query_mirror']));
    expect(status.snippets.map((s) => s.editor)).toEqual([
      'Claude Code',
      'Claude Desktop',
      'Cursor',
      'VS Code',
    ]);
    expect(status.snippets[1]!.content).toContain(`"--project"`);
  });

  it('stops cleanly', async () => {
    expect((await ws.call('projects.stop', { project })).state).toBe('stopped');
  });
});
