import { describe, expect, it } from 'vitest';
import { type CaptureContext, CdpExchangeAssembler } from '../../../main/electron/cdp-exchanges.js';
import type { Exchange } from '../../../shared/checker/types.js';

const API = 'http://localhost:8102/api/v1';
const PAGE = 'http://localhost:3000/';

/** An assembler whose timers run when the test says so, recording what it emits. */
function harness(bodies: Record<string, string> = {}) {
  const emitted: { exchange: Exchange; pageUrl: string | null; context: CaptureContext }[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const assembler = new CdpExchangeAssembler({
    isBackend: (url) => url.includes('/api/v1/'),
    responseBody: async (id) => bodies[id] ?? null,
    requestBody: async () => '{"from":"getRequestPostData"}',
    emit: (exchange, context) => emitted.push({ exchange, pageUrl: context.pageUrl, context }),
    schedule: (run, ms) => timers.push({ run, ms }),
  });
  /** Lets the body look-ups answer; with `elapse`, the assembler's timers also run. */
  const settle = async ({ elapse = true } = {}) => {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      while (elapse && timers.length > 0) timers.shift()!.run();
    }
  };
  return { assembler, emitted, settle, timers };
}

const sent = (requestId: string, url: string, extra: Record<string, unknown> = {}) =>
  [
    'Network.requestWillBeSent',
    {
      requestId,
      request: { url, method: 'POST', headers: { 'X-Hexclave-Project-Id': 'p1' }, postData: '{"a":1}' },
      timestamp: 100,
      wallTime: 1_700_000_000,
      documentURL: PAGE,
      ...extra,
    },
  ] as const;

describe('CDP Network events → exchanges', () => {
  it('uses the raw headers of the ExtraInfo events: Cookie sent, every Set-Cookie, blocked cookies and why', async () => {
    const { assembler, emitted, settle } = harness({ r1: '{"ok":true}' });
    assembler.handle(...sent('r1', `${API}/auth/password/sign-in`));
    assembler.handle('Network.requestWillBeSentExtraInfo', {
      requestId: 'r1',
      headers: { 'X-Hexclave-Project-Id': 'p1', Cookie: 'hexclave-access=abc' },
      associatedCookies: [
        { blockedReasons: [], cookie: { name: 'hexclave-access' } },
        { blockedReasons: ['SameSiteStrict'], cookie: { name: 'stack-access' } },
      ],
    });
    assembler.handle('Network.responseReceived', {
      requestId: 'r1',
      timestamp: 100.05,
      response: {
        url: '',
        status: 200,
        statusText: 'OK',
        headers: { 'content-type': 'application/json' },
        mimeType: 'application/json',
      },
    });
    assembler.handle('Network.responseReceivedExtraInfo', {
      requestId: 'r1',
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'set-cookie': 'a=1; Path=/\nb=2; Secure' },
      blockedCookies: [{ blockedReasons: ['SecureOnly'], cookieLine: 'b=2; Secure' }],
    });
    assembler.handle('Network.loadingFinished', { requestId: 'r1', timestamp: 100.25 });
    await settle();

    expect(emitted).toHaveLength(1);
    const { exchange, pageUrl } = emitted[0]!;
    expect(pageUrl).toBe(PAGE);
    expect(exchange).toMatchObject({
      startedAt: 1_700_000_000_000,
      durationMs: 250,
      request: { method: 'POST', body: '{"a":1}' },
      response: { status: 200, body: '{"ok":true}' },
    });
    expect(exchange.request.headers).toContainEqual(['cookie', 'hexclave-access=abc']);
    expect(exchange.response!.headers.filter(([n]) => n === 'set-cookie')).toEqual([
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2; Secure'],
    ]);
    expect(exchange.blockedCookies).toEqual([
      { direction: 'request', name: 'stack-access', reasons: ['SameSiteStrict'] },
      { direction: 'response', name: 'b', reasons: ['SecureOnly'], line: 'b=2; Secure' },
    ]);
  });

  it('holds a hop whose hasExtraInfo promised raw headers until they come, however late, with no fixed wait', async () => {
    const { assembler, emitted, settle, timers } = harness();
    assembler.handle(...sent('r2', `${API}/users/me`));
    assembler.handle('Network.responseReceived', {
      requestId: 'r2',
      timestamp: 101,
      hasExtraInfo: true,
      response: { url: '', status: 200, statusText: 'OK', headers: {}, mimeType: 'application/json' },
    });
    assembler.handle('Network.loadingFinished', { requestId: 'r2', timestamp: 101 });
    await settle({ elapse: false });
    expect(emitted).toEqual([]);
    assembler.handle('Network.requestWillBeSentExtraInfo', { requestId: 'r2', headers: { cookie: 'a=1' } });
    assembler.handle('Network.responseReceivedExtraInfo', {
      requestId: 'r2',
      statusCode: 200,
      headers: { 'x-hexclave-request-id': 'req-1' },
    });
    await settle({ elapse: false });
    expect(emitted[0]!.exchange.response!.headers).toEqual([['x-hexclave-request-id', 'req-1']]);
    expect(emitted[0]!.exchange.request.headers).toEqual([['cookie', 'a=1']]);
    // The only timer is the safety cap for raw headers that never come.
    expect(timers.map((t) => t.ms)).toEqual([2_000]);
  });

  it('emits a hop without raw headers at once when hasExtraInfo says there are none (cache, service worker)', async () => {
    const { assembler, emitted, settle, timers } = harness();
    assembler.handle(...sent('r5', `${API}/projects/current`));
    assembler.handle('Network.responseReceived', {
      requestId: 'r5',
      timestamp: 100.01,
      hasExtraInfo: false,
      response: {
        url: '',
        status: 200,
        statusText: 'OK',
        headers: { etag: '"p1"' },
        mimeType: 'application/json',
        fromDiskCache: true,
      },
    });
    assembler.handle('Network.loadingFinished', { requestId: 'r5', timestamp: 100.01 });
    await settle({ elapse: false });
    expect(timers).toEqual([]);
    expect(emitted.map((e) => [e.exchange.response?.status, e.context.servedBy])).toEqual([[200, 'cache']]);
  });

  it('gives up on raw headers that never come: after the cap, emits what the page side said', async () => {
    const { assembler, emitted, settle, timers } = harness();
    assembler.handle(...sent('r6', `${API}/users/me`));
    assembler.handle('Network.responseReceived', {
      requestId: 'r6',
      timestamp: 100.2,
      hasExtraInfo: true,
      response: { url: '', status: 200, statusText: 'OK', headers: { a: 'b' }, mimeType: 'application/json' },
    });
    assembler.handle('Network.loadingFinished', { requestId: 'r6', timestamp: 100.2 });
    await settle({ elapse: false });
    expect(emitted).toEqual([]);
    await settle();
    expect(emitted.map((e) => e.exchange.response?.headers)).toEqual([[['a', 'b']]]);
    expect(timers).toEqual([]);
  });

  it('a failed request: the CORS error and the wire status the page never got; a failed preflight waits for nothing', async () => {
    const { assembler, emitted, settle, timers } = harness();
    assembler.handle(...sent('c1', `${API}/users/me`));
    assembler.handle('Network.responseReceivedExtraInfo', {
      requestId: 'c1',
      statusCode: 401,
      headers: { 'x-stack-known-error': 'X' },
      headersText: 'HTTP/1.1 401 Unauthorized\r\nx-stack-known-error: X\r\n\r\n',
    });
    assembler.handle('Network.loadingFailed', {
      requestId: 'c1',
      timestamp: 100.1,
      errorText: 'net::ERR_FAILED',
      corsErrorStatus: { corsError: 'MissingAllowOriginHeader', failedParameter: '' },
    });
    // No request ExtraInfo yet: held for the short grace a failure gets, not the cap.
    expect(timers.map((t) => t.ms)).toEqual([500]);
    assembler.handle(...sent('c2', `${API}/users/me`));
    assembler.handle('Network.loadingFailed', {
      requestId: 'c2',
      timestamp: 100.2,
      errorText: 'net::ERR_FAILED',
      corsErrorStatus: { corsError: 'PreflightMissingAllowOriginHeader', failedParameter: '' },
    });
    await settle({ elapse: false });
    expect(emitted.map((e) => e.exchange.request.headers.length)).toEqual([1]);
    expect(emitted[0]!.exchange).toMatchObject({
      response: null,
      error: expect.stringContaining('Preflight'),
    });
    await settle();
    expect(emitted[1]!.exchange).toMatchObject({
      response: { status: 401, statusText: 'Unauthorized', headers: [['x-stack-known-error', 'X']] },
      error: 'net::ERR_FAILED (CORS: MissingAllowOriginHeader)',
    });
    expect(emitted.map((e) => e.context.withheld)).toEqual([true, true]);
  });

  it('ignores a request it joined half way (attached mid-redirect): its hops cannot be paired', async () => {
    const { assembler, emitted, settle } = harness();
    assembler.handle('Network.requestWillBeSentExtraInfo', { requestId: 'm1', headers: { cookie: 'x=1' } });
    assembler.handle('Network.requestWillBeSent', {
      ...sent('m1', `${API}/users/me`)[1],
      redirectResponse: { url: '', status: 302, statusText: 'Found', headers: {} },
    });
    assembler.handle('Network.loadingFinished', { requestId: 'm1', timestamp: 101 });
    await settle();
    expect(emitted).toEqual([]);
  });

  it('emits one exchange per redirect hop, fetches request bodies CDP did not inline, and ignores other traffic', async () => {
    const { assembler, emitted, settle } = harness();
    assembler.handle('Network.requestWillBeSent', {
      requestId: 'r3',
      request: { url: `${API}/auth/oauth/authorize/github`, method: 'GET', headers: {} },
      timestamp: 10,
      wallTime: 1,
    });
    assembler.handle('Network.requestWillBeSent', {
      requestId: 'r3',
      request: { url: `${API}/auth/oauth/callback`, method: 'POST', headers: {}, hasPostData: true },
      timestamp: 10.5,
      wallTime: 1.5,
      redirectResponse: {
        url: '',
        status: 307,
        statusText: 'Temporary Redirect',
        headers: { location: 'x' },
      },
    });
    assembler.handle('Network.loadingFailed', {
      requestId: 'r3',
      timestamp: 11,
      errorText: 'net::ERR_FAILED',
    });
    assembler.handle(...sent('other', 'http://localhost:3000/_next/static/chunk.js'));
    assembler.handle('Network.loadingFinished', { requestId: 'other', timestamp: 101 });
    await settle();

    expect(
      emitted.map((e) => [e.exchange.request.url.split('/').pop(), e.exchange.response?.status ?? null]),
    ).toEqual([
      ['github', 307],
      ['callback', null],
    ]);
    expect(emitted[0]!.exchange.durationMs).toBe(500);
    expect(emitted[1]!.exchange).toMatchObject({
      error: 'net::ERR_FAILED',
      request: { body: '{"from":"getRequestPostData"}' },
    });
  });

  it('forgets requests in flight when the debugger detaches', async () => {
    const { assembler, emitted, settle } = harness();
    assembler.handle(...sent('r4', `${API}/users/me`));
    assembler.reset();
    assembler.handle('Network.loadingFinished', { requestId: 'r4', timestamp: 101 });
    await settle();
    expect(emitted).toEqual([]);
  });
});
