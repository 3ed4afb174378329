import { describe, expect, it } from 'vitest';
import {
  appPartition,
  backendUrlMatcher,
  loadFailurePage,
  navigationAllowed,
  pageVisibleExchange,
} from '../../../main/electron/app-window-policy.js';
import type { WindowCaptureContext } from '../../../main/electron/network-capture.js';
import type { Exchange } from '../../../shared/checker/index.js';

describe('wrapped app window policy', () => {
  it('gives every project its own persistent session partition', () => {
    expect(appPartition('My Shop')).toBe('persist:app-my-shop');
    expect(appPartition('a/b')).not.toBe(appPartition('a-c'));
    expect(() => appPartition('///')).toThrow(/partition/);
  });

  it("keeps navigation on the app's origin and the origins the caller allows", () => {
    const app = 'http://localhost:3000/dashboard';
    expect(navigationAllowed('http://localhost:3000/handler/sign-in', app)).toBe(true);
    expect(navigationAllowed('http://localhost:3001/', app)).toBe(false);
    expect(navigationAllowed('https://evil.example/', app)).toBe(false);
    expect(navigationAllowed('javascript:alert(1)', app)).toBe(false);
    expect(
      navigationAllowed('http://localhost:8102/api/v1/auth/oauth/authorize/x', app, [
        'http://localhost:8102',
      ]),
    ).toBe(true);
  });

  it('recognises backend calls by /api/v1/ or a configured API URL', () => {
    const isBackend = backendUrlMatcher(['https://auth.example.com/stack/']);
    expect(isBackend('http://localhost:8102/api/v1/users/me')).toBe(true);
    expect(isBackend('https://auth.example.com/stack/health')).toBe(true);
    expect(isBackend('http://localhost:3000/api/products')).toBe(false);
  });

  it('matches configured API URLs at a path boundary only', () => {
    const isBackend = backendUrlMatcher(['http://localhost:8102']);
    expect(isBackend('http://localhost:8102/health')).toBe(true);
    expect(isBackend('http://localhost:8102')).toBe(true);
    expect(isBackend('http://localhost:81023/health')).toBe(false);
    expect(isBackend('http://localhost:8102.evil.tld/health')).toBe(false);
  });

  it('never treats an opaque origin (data:, file:) as the app, even for a file:// app', () => {
    expect(navigationAllowed('data:text/html,<p>x', 'file:///srv/app/index.html')).toBe(false);
    expect(navigationAllowed('file:///etc/passwd', 'file:///srv/app/index.html')).toBe(false);
  });

  it('shows a load failure as a page that names the problem, escaped, with a link back', () => {
    const page = decodeURIComponent(
      loadFailurePage('http://localhost:3000/', '<script>x</script> ERR_CONNECTION_REFUSED').split(',')[1]!,
    );
    expect(page).toContain('ERR_CONNECTION_REFUSED');
    expect(page).not.toContain('<script>');
    expect(page).toContain('href="http://localhost:3000/"');
  });
});

describe('what the page itself is handed of the traffic the window captured', () => {
  const PAGE = 'http://localhost:3000/dashboard';
  const context = (overrides: Partial<WindowCaptureContext> = {}): WindowCaptureContext => ({
    pageUrl: PAGE,
    frameId: 'main',
    fromMainFrame: true,
    resourceType: 'Fetch',
    redirected: false,
    servedBy: 'network',
    withheld: false,
    pageRequestHeaders: [
      ['accept', '*/*'],
      ['x-stack-access-type', 'client'],
    ],
    ...overrides,
  });
  const exchange = (url: string, responseHeaders: [string, string][]): Exchange => ({
    id: 'x',
    startedAt: 0,
    durationMs: 0,
    request: {
      method: 'GET',
      url,
      headers: [
        ['cookie', 'session=secret'],
        ['accept', '*/*'],
        ['x-stack-access-type', 'client'],
      ],
    },
    response: { status: 200, headers: responseHeaders, body: '{"ok":true}' },
    blockedCookies: [{ direction: 'response', name: 'b', reasons: ['SecureOnly'], line: 'b=secret' }],
    cookieHeader: 'session=secret',
  });
  const headerNames = (e: Exchange | null) => e?.response?.headers.map(([name]) => name);

  it('same origin: every response header but Set-Cookie; the request as the page set it, never the Cookie', () => {
    const visible = pageVisibleExchange(
      exchange('http://localhost:3000/api/v1/users/me', [
        ['set-cookie', 'inner=httponly-secret; HttpOnly'],
        ['content-type', 'application/json'],
        ['x-stack-request-id', 'r1'],
      ]),
      context(),
    );
    expect(JSON.stringify(visible)).not.toContain('secret');
    expect(visible!.request.headers).toEqual([
      ['accept', '*/*'],
      ['x-stack-access-type', 'client'],
    ]);
    expect(headerNames(visible)).toEqual(['content-type', 'x-stack-request-id']);
    expect(visible!.blockedCookies).toEqual([{ direction: 'response', name: 'b', reasons: ['SecureOnly'] }]);
  });

  it('cross origin: only CORS-safelisted and exposed response headers', () => {
    const api = 'http://localhost:8102/api/v1/users/me';
    const headers: [string, string][] = [
      ['content-type', 'application/json'],
      ['x-stack-request-id', 'r1'],
      ['x-hexclave-request-id', 'r1'],
      ['access-control-expose-headers', 'x-hexclave-request-id'],
    ];
    expect(headerNames(pageVisibleExchange(exchange(api, headers), context()))).toEqual([
      'content-type',
      'x-hexclave-request-id',
    ]);
    const wildcard: [string, string][] = [
      ['x-stack-request-id', 'r1'],
      ['access-control-expose-headers', '*'],
    ];
    expect(headerNames(pageVisibleExchange(exchange(api, wildcard), context()))).toEqual([
      'x-stack-request-id',
      'access-control-expose-headers',
    ]);
    // With credentials allowed, `*` is a header name, not a wildcard.
    const credentialed = [...wildcard, ['access-control-allow-credentials', 'true']] as [string, string][];
    expect(headerNames(pageVisibleExchange(exchange(api, credentialed), context()))).toEqual([]);
  });

  it('a response the browser withheld (CORS) is a bare network error, as the page saw it', () => {
    const visible = pageVisibleExchange(
      exchange('http://localhost:8102/api/v1/users/me', [['x-stack-known-error', 'X']]),
      context({ withheld: true }),
    );
    expect(visible).toMatchObject({ response: null, error: 'network error' });
    expect(JSON.stringify(visible)).not.toContain('x-stack-known-error');
  });

  it('nothing of what the page could not read at all: subframes, navigations, preflights, followed redirects', () => {
    const e = exchange('http://localhost:3000/api/v1/users/me', []);
    expect(pageVisibleExchange(e, context({ fromMainFrame: false }))).toBeNull();
    expect(pageVisibleExchange(e, context({ resourceType: 'Document' }))).toBeNull();
    expect(pageVisibleExchange(e, context({ resourceType: 'Preflight' }))).toBeNull();
    expect(pageVisibleExchange(e, context({ redirected: true }))).toBeNull();
    expect(pageVisibleExchange(e, context({ resourceType: 'XHR' }))).not.toBeNull();
  });
});
