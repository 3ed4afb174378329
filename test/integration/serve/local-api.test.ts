import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher, createHandlers, EventBus } from '../../../main/api/index.js';
import { createFileSecretStore } from '../../../main/projects/index.js';
import { type RunningServe, startServe } from '../../../main/serve/index.js';
import { Workspace } from '../../../main/workspace/index.js';

let serve: RunningServe;
const events = new EventBus();

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const dataDir = mkdtempSync(join(tmpdir(), 'companion-data-'));
  const workspace = new Workspace({
    dataDir,
    secrets: createFileSecretStore(join(dataDir, 'secrets.json')),
    events,
  });
  const dispatch = createDispatcher(
    createHandlers({ version: '1.2.3', mode: 'serve', modeReason: null, workspace }),
  );
  serve = await startServe({ rendererDir, dispatch, events });
});

afterAll(() => serve.close());

/** Raw request so the Host header can be forged (fetch does not allow it). */
function raw(path: string, headers: Record<string, string>, method = 'POST', body = '{}') {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: serve.port, path, method, headers }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const rpc = (method: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${serve.origin}/api/rpc/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));

describe('serve mode local API', () => {
  it('prints a loopback URL carrying the launch token in the fragment', () => {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
  });

  it('answers typed calls with the launch token', async () => {
    const { json } = await rpc('registry.search', { query: 'stack-access' });
    expect(json.ok).toBe(true);
    expect((json.result as { entries: Array<{ new: string }> }).entries[0]?.new).toBe('hexclave-access');
  });

  it('rejects calls without the token, from another origin or with a foreign Host', async () => {
    const noToken = await fetch(`${serve.origin}/api/rpc/app.info`, { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);
    expect((await rpc('app.info', {}, { origin: 'https://evil.example' })).status).toBe(403);
    const rebinding = await raw('/api/rpc/app.info', {
      host: 'evil.example',
      authorization: `Bearer ${serve.token}`,
    });
    expect(rebinding.status).toBe(403);
  });

  it('names unknown methods and invalid input', async () => {
    expect((await rpc('registry.drop', {})).json.error).toMatchObject({ name: 'UnknownMethod' });
    const invalid = await rpc('registry.search', { category: 'spaceship' });
    expect(invalid.json.error).toMatchObject({
      name: 'InvalidInput',
      message: expect.stringContaining('category'),
    });
  });

  it('pushes events over the WebSocket only to token holders', async () => {
    const wsUrl = `ws://127.0.0.1:${serve.port}/api/events`;
    const refused = new WebSocket(`${wsUrl}?token=wrong`);
    await new Promise<void>((resolve) => refused.on('error', () => resolve()));

    const socket = new WebSocket(`${wsUrl}?token=${serve.token}`);
    await new Promise<void>((resolve) => socket.on('open', () => resolve()));
    const received = new Promise<unknown>((resolve) =>
      socket.on('message', (data) => resolve(JSON.parse(String(data)))),
    );
    events.publish('app.log', { level: 'info', message: 'hello', at: 1 });
    expect(await received).toEqual({ topic: 'app.log', payload: { level: 'info', message: 'hello', at: 1 } });
    socket.close();
  });
});
