import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendMatcher } from '../../../overlay/capture/backend.js';
import { observeFetch } from '../../../overlay/capture/fetch.js';
import type { Exchange } from '../../../shared/checker/types.js';

let server: Server;
let origin: string;
const received: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url?.includes('stream')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: one\n\n');
        setTimeout(() => res.end('data: two\n\n'), 50);
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json', 'x-hexclave-request-id': 'r1' });
      res.end(JSON.stringify({ echo: body, user: 'ada' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function observed() {
  const exchanges: Exchange[] = [];
  const issued: Promise<Response>[] = [];
  const host = {
    fetch: ((...args: Parameters<typeof fetch>) => {
      const pending = fetch(...args);
      issued.push(pending);
      return pending;
    }) as typeof fetch,
  };
  const restore = observeFetch(
    host,
    backendMatcher([], () => origin),
    (e) => exchanges.push(e),
  );
  return { host, exchanges, issued, restore };
}

describe('fetch observation', () => {
  it('sends the request unchanged and leaves the response body to the page', async () => {
    const { host, exchanges } = observed();
    const headers = { 'X-Hexclave-Project-Id': 'p1', 'content-type': 'application/json' };
    const response = await host.fetch(`${origin}/api/v1/auth/password/sign-in`, {
      method: 'POST',
      headers,
      body: '{"email":"ada@example.com"}',
    });
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ echo: '{"email":"ada@example.com"}', user: 'ada' });
    const atServer = received.at(-1)!;
    expect(atServer).toMatchObject({
      method: 'POST',
      url: '/api/v1/auth/password/sign-in',
      body: '{"email":"ada@example.com"}',
    });
    expect(atServer.headers['x-hexclave-project-id']).toBe('p1');

    await expect.poll(() => exchanges.length).toBe(1);
    expect(exchanges[0]).toMatchObject({
      request: {
        method: 'POST',
        url: `${origin}/api/v1/auth/password/sign-in`,
        body: '{"email":"ada@example.com"}',
      },
      response: { status: 201, body: JSON.stringify({ echo: '{"email":"ada@example.com"}', user: 'ada' }) },
    });
    expect(exchanges[0]!.request.headers).toContainEqual(['x-hexclave-project-id', 'p1']);
    expect(exchanges[0]!.response!.headers).toContainEqual(['x-hexclave-request-id', 'r1']);
  });

  it('hands calls that are not for the backend the original promise, untouched and unrecorded', async () => {
    const { host, exchanges, issued } = observed();
    const pending = host.fetch(`${origin}/static/app.js`);
    expect(pending).toBe(issued[0]);
    await (await pending).text();
    const request = new Request(`${origin}/api/v1/users/me`, {
      headers: { 'x-stack-access-type': 'client' },
    });
    await (await host.fetch(request)).text();
    await expect.poll(() => exchanges.map((e) => e.request.url)).toEqual([`${origin}/api/v1/users/me`]);
    expect(exchanges[0]!.request.headers).toEqual([['x-stack-access-type', 'client']]);
  });

  it('does not wait for or read streamed bodies, and reports network errors as the page sees them', async () => {
    const { host, exchanges, restore } = observed();
    const stream = await host.fetch(`${origin}/api/v1/ai/query/stream`);
    expect(await stream.text()).toBe('data: one\n\ndata: two\n\n');
    await expect.poll(() => exchanges[0]?.response?.body).toBeNull();

    const closed = 'http://127.0.0.1:9/api/v1/users/me';
    const error = await host.fetch(closed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    await expect
      .poll(() => exchanges[1])
      .toMatchObject({ response: null, error: expect.stringContaining('fetch failed') });

    restore();
    await (await host.fetch(`${origin}/api/v1/users/me`)).text();
    expect(exchanges).toHaveLength(2);
  });
});
