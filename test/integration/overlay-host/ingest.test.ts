import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher, createHandlers, EventBus } from '../../../main/api/index.js';
import { createOverlayHost, type OverlayHost } from '../../../main/overlay-host/index.js';
import { createFileSecretStore } from '../../../main/projects/index.js';
import { type RunningServe, startServe } from '../../../main/serve/index.js';
import { TrafficHub } from '../../../main/traffic/index.js';
import { Workspace } from '../../../main/workspace/index.js';
import type { ExchangeReport, IngestReply } from '../../../shared/overlay-protocol.js';

const PAGE = 'http://localhost:3000';
let serve: RunningServe;
let overlay: OverlayHost;
let hub: TrafficHub | null = new TrafficHub(() => ({ expectedMode: 'unknown' }));
const focused: number[] = [];

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const dataDir = mkdtempSync(join(tmpdir(), 'companion-data-'));
  const events = new EventBus();
  const workspace = new Workspace({
    dataDir,
    secrets: createFileSecretStore(join(dataDir, 's.json')),
    events,
  });
  const dispatch = createDispatcher(
    createHandlers({ version: '1.2.3', mode: 'serve', modeReason: null, workspace }),
  );
  overlay = createOverlayHost({
    hub: () => hub,
    version: '1.2.3',
    onFocusRequest: (seq) => focused.push(seq),
  });
  serve = await startServe({ rendererDir, dispatch, events, overlay });
});

afterAll(() => serve.close());

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: serve.port, path, headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

/** Connects like a page would; resolves with the socket and its replies, or with the refusal status. */
function connect(options: { origin?: string; token?: string } = {}) {
  const token = options.token ?? overlay.ingestToken;
  const ws = new WebSocket(
    `ws://127.0.0.1:${serve.port}${overlay.ingestPath}?token=${encodeURIComponent(token)}`,
    {
      ...('origin' in options ? (options.origin ? { origin: options.origin } : {}) : { origin: PAGE }),
    },
  );
  const replies: IngestReply[] = [];
  ws.on('message', (data) => replies.push(JSON.parse(String(data)) as IngestReply));
  return new Promise<{ ws: WebSocket; replies: IngestReply[] } | { refused: number }>((resolve) => {
    ws.on('open', () => resolve({ ws, replies }));
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.on('error', () => resolve({ refused: -1 }));
  });
}

async function open(options: { origin?: string } = {}) {
  const result = await connect(options);
  if ('refused' in result) throw new Error(`refused with ${result.refused}`);
  await expect.poll(() => result.replies[0]?.type).toBe('ready');
  return result;
}

const report = (id: string): ExchangeReport => ({
  type: 'exchange',
  pageUrl: `${PAGE}/account`,
  exchange: {
    id,
    startedAt: Date.now(),
    durationMs: 12,
    request: {
      method: 'GET',
      url: 'http://localhost:8102/api/v1/users/me',
      headers: [['x-hexclave-project-id', 'p']],
    },
    response: { status: 200, headers: [['content-type', 'application/json']], body: '{}' },
  },
  attribution: { family: 'new', source: 'headers', clientVersion: null },
  findings: [],
});

describe('overlay script', () => {
  it('is served to a plain script tag of any page, with this launch’s ingest token and never the launch token', async () => {
    const script = await get('/overlay.js', { host: `127.0.0.1:${serve.port}` });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('no-store');
    expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const config = Buffer.from(
      JSON.stringify({ companionOrigin: serve.origin, ingestToken: overlay.ingestToken, version: '1.2.3' }),
    ).toString('base64url');
    expect(script.body).toContain(config);
    expect(script.body).not.toContain(serve.token);
    expect(overlay.ingestToken).not.toBe(serve.token);
  });

  it('gives CORS headers to loopback pages only, and still pins the Host header', async () => {
    const fromApp = await get('/overlay.js', { host: `localhost:${serve.port}`, origin: PAGE });
    expect(fromApp.headers['access-control-allow-origin']).toBe(PAGE);
    expect(fromApp.body).toContain(
      Buffer.from(`{"companionOrigin":"http://localhost:${serve.port}"`).toString('base64url').slice(0, 40),
    );
    const fromElsewhere = await get('/overlay.js', {
      host: `127.0.0.1:${serve.port}`,
      origin: 'https://evil.example',
    });
    expect(fromElsewhere.status).toBe(200);
    expect(fromElsewhere.headers['access-control-allow-origin']).toBeUndefined();
    expect((await get('/overlay.js', { host: 'evil.example' })).status).toBe(403);
  });

  it('does not open the API: the ingest token is refused there', async () => {
    const call = await fetch(`${serve.origin}/api/rpc/app.info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${overlay.ingestToken}` },
      body: '{}',
    });
    expect(call.status).toBe(401);
  });
});

describe('ingest socket', () => {
  it('accepts loopback pages with the ingest token only', async () => {
    expect(await connect({ token: 'wrong' })).toEqual({ refused: 403 });
    expect(await connect({ token: serve.token })).toEqual({ refused: 403 });
    expect(await connect({ origin: 'https://evil.example' })).toEqual({ refused: 403 });
    expect(await connect({ origin: 'http://localhost.evil.example:3000' })).toEqual({ refused: 403 });
    expect(await connect({ origin: 'null' })).toEqual({ refused: 403 });
    expect(await connect({ origin: undefined })).toEqual({ refused: 403 });
    for (const origin of ['http://127.0.0.1:5173', 'https://shop.localhost', 'http://localhost:3000']) {
      const { ws } = await open({ origin });
      ws.close();
    }
  });

  it('records reported exchanges in the hub and acknowledges each with its Traffic number', async () => {
    const { ws, replies } = await open();
    ws.send(JSON.stringify(report('ov-a')));
    await expect.poll(() => replies.find((r) => r.type === 'ack')).toBeDefined();
    const ack = replies.find((r) => r.type === 'ack') as Extract<IngestReply, { type: 'ack' }>;
    expect(ack.id).toBe('ov-a');
    expect(hub!.get(ack.seq)).toMatchObject({
      source: 'overlay',
      pageUrl: `${PAGE}/account`,
      attribution: { family: 'new' },
    });

    ws.send(
      JSON.stringify({
        type: 'snapshot',
        pageUrl: `${PAGE}/x`,
        snapshot: { cookies: [{ name: 'a', value: 'b' }] },
        findings: [],
      }),
    );
    ws.send(JSON.stringify({ type: 'focus', seq: ack.seq }));
    await expect.poll(() => hub!.pages.get(PAGE)?.snapshot.cookies).toEqual([{ name: 'a', value: 'b' }]);
    await expect.poll(() => focused).toEqual([ack.seq]);
    ws.close();
  });

  it('drops anything that is not a report, reaching neither the API nor the hub', async () => {
    const before = hub!.list().length;
    const call = { type: 'call', method: 'projects.list', input: {} };
    const extraField = { ...report('ov-b'), extra: 'field' };
    const notJson = 'projects.list';
    for (const message of [JSON.stringify(call), JSON.stringify(extraField), notJson]) {
      // One socket per message: drop notices are limited to one a second per socket.
      const { ws, replies } = await open();
      ws.send(message);
      await expect.poll(() => replies.at(-1)?.type).toBe('dropped');
      ws.close();
    }
    expect(hub!.list().length).toBe(before);
  });

  it('closes a socket that sends more than 256 kB at once and throttles floods', async () => {
    const big = await open();
    const closed = new Promise<number>((resolve) => big.ws.on('close', (code) => resolve(code)));
    big.ws.send('x'.repeat(300 * 1024));
    expect(await closed).toBe(1009);

    const flood = await open();
    const before = hub!.list().length;
    for (let i = 0; i < 400; i++) flood.ws.send(JSON.stringify(report(`ov-flood-${i}`)));
    await expect
      .poll(() => flood.replies.some((r) => r.type === 'dropped' && r.reason.startsWith('rate limit')))
      .toBe(true);
    const recorded = hub!.list().length - before;
    expect(recorded).toBeGreaterThanOrEqual(200);
    expect(recorded).toBeLessThan(400);
    flood.ws.close();
  });

  it('says so when no project is open to take the reports', async () => {
    const kept = hub;
    hub = null;
    try {
      const { ws, replies } = await open();
      // The flood above may have spent this page origin's rate window: resend until the window has passed.
      await expect
        .poll(
          () => {
            ws.send(JSON.stringify(report('ov-c')));
            return replies.at(-1);
          },
          { timeout: 10_000, interval: 250 },
        )
        .toEqual({ type: 'dropped', reason: 'no project is open in the companion' });
      ws.close();
    } finally {
      hub = kept;
    }
  });
});

describe('beacon on pagehide', () => {
  const beacon = (body: string, options: { origin?: string; token?: string } = {}) =>
    fetch(
      `http://127.0.0.1:${serve.port}${overlay.ingestPath}?token=${encodeURIComponent(options.token ?? overlay.ingestToken)}`,
      { method: 'POST', headers: { origin: options.origin ?? PAGE, 'content-type': 'text/plain' }, body },
    );

  it('records the reports a page sends as it goes away, once per exchange id however many channels carried it', async () => {
    const { ws, replies } = await open();
    const before = hub!.list().length;
    ws.send(JSON.stringify(report('beacon-1')));
    await expect.poll(() => replies.some((r) => r.type === 'ack' && r.id === 'beacon-1')).toBe(true);
    // The page did not see the ack before it went away: it sends the report again, with one it never sent.
    const sent = await beacon(JSON.stringify([report('beacon-1'), report('beacon-2')]));
    expect(sent.status).toBe(204);
    expect(hub!.list().length).toBe(before + 2);
    ws.close();
  });

  it('refuses other origins, the wrong token and bodies that are not report lists', async () => {
    expect((await beacon('[]', { origin: 'https://evil.example' })).status).toBe(403);
    expect((await beacon('[]', { token: 'not-the-token' })).status).toBe(403);
    expect((await beacon('{"type":"exchange"}')).status).toBe(400);
    expect((await beacon('not json')).status).toBe(400);
  });
});
