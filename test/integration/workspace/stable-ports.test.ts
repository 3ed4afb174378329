import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/api/index.js';
import { createFileSecretStore } from '../../../main/projects/index.js';
import { Workspace } from '../../../main/workspace/index.js';
import type { Exchange } from '../../../shared/checker/index.js';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { waitUntil } from '../../helpers/wait.js';
import { createTestWorkspace, type TestWorkspace } from '../../helpers/workspace.js';

// A project's capture proxy keeps its port across stops and companion restarts, so the app's API URL and the
// overlay tag keep working; when something else took the port, the project moves, says so, and traffic still
// aimed at the old port is flagged instead of silently lost.

let ws: TestWorkspace;
let emulator: TestEmulator;
let mirror: TestDatabase & { drop(): Promise<void> };
let project: string;
let workspace: Workspace;
let blocker: Server | null = null;

beforeAll(async () => {
  ws = createTestWorkspace();
  workspace = ws.workspace;
  emulator = await startTestEmulator({ label: 'stable_ports' });
  mirror = await createTestDatabase('stable_ports_mirror');
  project = (
    await workspace.create({
      kind: 'connected',
      apiUrl: emulator.apiUrl,
      projectId: emulator.projectId,
      publishableClientKey: emulator.publishableClientKey,
      mirrorDatabaseUrl: mirror.url,
    })
  ).id;
}, 120_000);

afterAll(async () => {
  await workspace?.stopAll();
  await ws?.close();
  await emulator?.stop();
  await mirror?.drop();
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(null)));
});

const running = () =>
  waitUntil(
    () => workspace.runtimeState(project),
    (state) => state.state === 'running' || state.state === 'failed',
    'the project to run',
    90_000,
  );

function dataDirWorkspace(): Workspace {
  return new Workspace({
    dataDir: ws.dataDir,
    secrets: createFileSecretStore(join(ws.dataDir, 'secrets.json')),
    events: new EventBus(),
    clusterDir: (id) => join(ws.dataDir, 'clusters', id),
  });
}

function overlayExchange(url: string): Exchange {
  return {
    id: `dead-${url}`,
    startedAt: Date.now(),
    durationMs: 2,
    request: { method: 'GET', url, headers: [], body: null },
    response: null,
    error: 'Failed to fetch',
  };
}

describe('stable addresses', () => {
  let firstProxy: string;

  it('keeps the proxy port when the project is stopped and started, and when the companion restarts', async () => {
    const first = await running();
    expect(first.state).toBe('running');
    firstProxy = first.proxyUrl!;
    await workspace.stop(project);
    await workspace.start(project);
    expect((await running()).proxyUrl).toBe(firstProxy);

    // A new companion process on the same app-data folder: the same port again.
    await workspace.stopAll();
    workspace = dataDirWorkspace();
    await workspace.start(project);
    const again = await running();
    expect(again.proxyUrl).toBe(firstProxy);
    expect(again.message).toBeNull();
  });

  it('moves off a port taken by another program, says so, and flags traffic still sent to the old port', async () => {
    await workspace.stop(project);
    const port = Number(new URL(firstProxy).port);
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
    await workspace.start(project);
    const moved = await running();
    expect(moved.state).toBe('running');
    expect(moved.proxyUrl).not.toBe(firstProxy);
    expect(moved.message).toBe(
      `Port ${port} was taken by another program, so the capture proxy now listens at ${moved.proxyUrl}: update your app's API URL (Your app's .env).`,
    );

    // The in-page dev tool reports a request the app still sends to the old port: it reaches this project, flagged.
    const pageUrl = 'http://localhost:3000/';
    const hub = workspace.trafficFor({ pageUrl, backendUrl: `${firstProxy}/api/v1/users/me` });
    expect(hub).toBe(workspace.traffic(project));
    const stale = hub!.record({
      source: 'overlay',
      pageUrl,
      exchange: overlayExchange(`${firstProxy}/api/v1/users/me`),
    });
    const flagged = stale.findings.find((f) => f.ruleId === 'address.not-served');
    expect(flagged).toMatchObject({
      severity: 'error',
      message: `Sent to ${firstProxy}, which the companion no longer serves (this project's capture proxy used it before).`,
      expected: `the project's capture proxy at ${moved.proxyUrl}`,
    });
    expect(flagged!.explanation).toContain(`Set it to ${moved.proxyUrl}`);

    const current = hub!.record({
      source: 'overlay',
      pageUrl,
      exchange: overlayExchange(`${moved.proxyUrl}/api/v1/users/me`),
    });
    expect(current.findings.map((f) => f.ruleId)).not.toContain('address.not-served');

    // Once the old port is free again the next start keeps the new one (the app may already use it).
    await new Promise((resolve) => blocker!.close(resolve));
    blocker = null;
    await workspace.stop(project);
    await workspace.start(project);
    expect((await running()).proxyUrl).toBe(moved.proxyUrl);
  });
});
