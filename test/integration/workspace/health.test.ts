import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectStatus } from '../../../renderer/src/lib/project-status.js';
import type { ProjectWithRuntime, RuntimeState } from '../../../shared/api/workspace-schemas.js';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { waitUntil } from '../../helpers/wait.js';
import { createTestWorkspace, type TestWorkspace } from '../../helpers/workspace.js';

// Health badges come from real probes: a project whose backend does not answer, is not a Stack API or refuses its
// keys never reads "running", however happily its own worker runs.

let ws: TestWorkspace;
let emulator: TestEmulator;
let htmlServer: Server;
let htmlUrl: string;
let folder: string;
const states: { project: string; runtime: RuntimeState }[] = [];

beforeAll(async () => {
  ws = createTestWorkspace();
  ws.events.subscribe((topic, payload) => {
    if (topic === 'runtime.state') states.push(payload as (typeof states)[number]);
  });
  emulator = await startTestEmulator({ label: 'health_probe' });
  htmlServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>My app</title>');
  });
  await new Promise<void>((resolve) => htmlServer.listen(0, '127.0.0.1', resolve));
  htmlUrl = `http://127.0.0.1:${(htmlServer.address() as AddressInfo).port}`;
  folder = mkdtempSync(join(tmpdir(), 'dead-backend-app-'));
}, 120_000);

afterAll(async () => {
  await ws?.close();
  await emulator?.stop();
  await new Promise((resolve) => htmlServer?.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

/** A loopback port nothing listens on any more. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const listed = async (id: string): Promise<ProjectWithRuntime> =>
  (await ws.call('projects.list', {})).projects.find((p) => p.id === id)!;

/** Wait until the project runs and its first health round is in. */
const probed = (id: string) =>
  waitUntil(
    () => listed(id),
    (p) => p.runtime.state === 'failed' || (p.runtime.state === 'running' && p.health !== null),
    'the project to run and be probed',
    120_000,
  );

describe('Connect my project checks before it connects', () => {
  it('refuses the garbage formats as typed: id abc, key x (a warning), with field labels', async () => {
    const probe = await ws.call('projects.probe', {
      kind: 'connected',
      apiUrl: 'http://127.0.0.1:1',
      projectId: 'abc',
      publishableClientKey: 'x',
    });
    expect(probe.ok).toBe(false);
    expect(probe.backend).toBeNull();
    expect(probe.problems).toEqual([
      expect.objectContaining({
        field: 'projectId',
        level: 'error',
        message: expect.stringContaining('UUID'),
      }),
      expect.objectContaining({ field: 'publishableClientKey', level: 'warning' }),
    ]);
    await expect(
      ws.call('projects.create', { kind: 'connected', apiUrl: 'http://127.0.0.1:1', projectId: 'abc' }),
    ).rejects.toThrow(/^Project id: A project id is a UUID/);
    // Invalid input names the field by its label, never the method or the property.
    const invalid = await ws
      .call('projects.create', { kind: 'connected', apiUrl: 'not a url' })
      .catch((e: Error) => e.message);
    expect(invalid).toMatch(/^API URL: /);
    expect(invalid).not.toMatch(/projects\.create|apiUrl/);
    expect((await ws.call('projects.list', {})).projects).toHaveLength(0);
  });

  it('says a dead backend is unreachable, naming the setting to check', async () => {
    const probe = await ws.call('projects.probe', {
      kind: 'connected',
      apiUrl: await deadUrl(),
      projectId: randomUUID(),
      publishableClientKey: 'pck_garbage',
    });
    expect(probe.ok).toBe(false);
    expect(probe.backend).toMatchObject({ state: 'error', label: 'unreachable', field: 'apiUrl' });
    expect(probe.backend!.detail).toMatch(/ECONNREFUSED.*check the API URL and that the backend is running/);
    expect(probe.keys).toMatchObject({ state: 'unknown' });
  });

  it('says a plain web server is not a Stack/Hexclave API', async () => {
    const probe = await ws.call('projects.probe', {
      kind: 'connected',
      apiUrl: htmlUrl,
      projectId: randomUUID(),
    });
    expect(probe.backend).toMatchObject({ state: 'error', label: 'not a Stack/Hexclave API' });
    expect(probe.backend!.detail).toContain('text/html');
  });

  it('accepts the emulator with its own id and keys, and names the one that is wrong otherwise', async () => {
    const good = {
      kind: 'connected' as const,
      apiUrl: emulator.apiUrl,
      projectId: emulator.projectId,
      publishableClientKey: emulator.publishableClientKey,
      secretServerKey: emulator.secretServerKey,
    };
    const ok = await ws.call('projects.probe', good);
    expect(ok).toMatchObject({
      ok: true,
      backend: { state: 'ok' },
      keys: { state: 'ok', label: 'accepted' },
    });
    const unknownProject = await ws.call('projects.probe', { ...good, projectId: randomUUID() });
    expect(unknownProject.keys).toMatchObject({
      state: 'error',
      label: 'project not found',
      field: 'projectId',
    });
    expect(unknownProject.backend).toMatchObject({ state: 'ok' });
    const wrongKey = await ws.call('projects.probe', { ...good, publishableClientKey: 'pck_wrong' });
    expect(wrongKey.keys).toMatchObject({ state: 'error', field: 'publishableClientKey' });
    const wrongServerKey = await ws.call('projects.probe', { ...good, secretServerKey: 'ssk_wrong' });
    expect(wrongServerKey.keys).toMatchObject({ state: 'error', field: 'secretServerKey' });
    expect(JSON.stringify([ok, wrongServerKey])).not.toContain(emulator.secretServerKey);
  });
});

describe('a connected project whose backend does not answer', () => {
  it('never shows "running" when connected anyway, and says what it starts', async () => {
    const { id } = await ws.call('projects.create', {
      kind: 'connected',
      name: 'Garbage',
      apiUrl: 'http://127.0.0.1:1',
      projectId: randomUUID(),
      publishableClientKey: 'x',
    });
    const project = await probed(id);
    expect(project.runtime.state).toBe('running');
    expect(project.health!.backend.detail).toContain('port 1 is one that browsers and fetch refuse');
    expect(project.health).toMatchObject({
      backend: { state: 'error', label: 'unreachable' },
      mirror: { state: 'ok' },
      sync: { state: 'off' },
    });
    expect(projectStatus(project)).toEqual({ label: 'backend: unreachable', tone: 'error' });
    const starting = states.find((s) => s.project === id && s.runtime.state === 'starting')!;
    expect(starting.runtime.message).toBe(
      'Starting an embedded mirror database and a capture proxy in front of your backend…',
    );
    expect(states.filter((s) => s.project === id).map((s) => s.runtime.message)).not.toContain(
      expect.stringContaining('emulator'),
    );
    // The badges are probed again on request (and every few seconds on their own).
    const again = await ws.call('projects.checkHealth', { project: id });
    expect(again!.checkedAt).toBeGreaterThanOrEqual(project.health!.checkedAt);
    expect(again!.backend.state).toBe('error');
    await ws.call('projects.remove', { project: id });
  }, 150_000);

  it('reads a folder pointing at a dead backend the same way', async () => {
    writeFileSync(
      join(folder, '.env.local'),
      [
        'NEXT_PUBLIC_STACK_API_URL=http://127.0.0.1:1',
        `NEXT_PUBLIC_STACK_PROJECT_ID=${randomUUID()}`,
        'NEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY=pck_nothing_answers',
      ].join('\n'),
    );
    const probe = await ws.call('projects.probe', { kind: 'connected', folder });
    expect(probe.from).toMatchObject({ apiUrl: 'NEXT_PUBLIC_STACK_API_URL in .env.local' });
    expect(probe.backend).toMatchObject({ state: 'error', label: 'unreachable' });
    const { id } = await ws.call('projects.create', { kind: 'connected', folder });
    const project = await probed(id);
    expect(projectStatus(project).label).not.toBe('running');
    expect(project.health!.backend.label).toBe('unreachable');
    await ws.call('projects.remove', { project: id });
  }, 150_000);

  it('reads "running" for a connected project whose backend answers and accepts the keys', async () => {
    const { id } = await ws.call('projects.create', {
      kind: 'connected',
      apiUrl: emulator.apiUrl,
      projectId: emulator.projectId,
      publishableClientKey: emulator.publishableClientKey,
    });
    const project = await probed(id);
    expect(project.health).toMatchObject({ backend: { state: 'ok' }, keys: { state: 'ok' } });
    expect(projectStatus(project)).toEqual({ label: 'running', tone: 'ok' });
    await ws.call('projects.remove', { project: id });
  }, 150_000);
});
