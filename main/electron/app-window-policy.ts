import type { Exchange } from '../../shared/checker/index.js';
import type { WindowCaptureContext } from './network-capture.js';

/** Everything Electron-free about the wrapped app window, so it can be tested without the binary. */

/** `persist:app-<project>`: one cookie jar and storage per project, apart from the companion's own session. */
export function appPartition(project: string): string {
  const safe = project
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!safe) throw new Error(`Project name "${project}" gives no usable session partition name.`);
  return `persist:app-${safe}`;
}

/** Navigation stays on the app's origin (and the few origins the caller allows, e.g. the backend for OAuth). */
export function navigationAllowed(
  url: string,
  appUrl: string,
  allowedOrigins: readonly string[] = [],
): boolean {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return false;
  }
  // data:, file:, about: and the like have an opaque origin: never "the app's".
  if (origin === 'null') return false;
  const allowed = [new URL(appUrl).origin, ...allowedOrigins.map((o) => new URL(o).origin)];
  return allowed.includes(origin);
}

/** Backend calls: any `/api/v1/` path, or a URL under one of the configured API URLs (at a path boundary). */
export function backendUrlMatcher(apiUrls: readonly string[]): (url: string) => boolean {
  const prefixes = apiUrls.map((u) => u.replace(/\/+$/, ''));
  const under = (url: string, prefix: string) =>
    url.startsWith(prefix) && (url.length === prefix.length || '/?#'.includes(url[prefix.length]!));
  return (url) => url.includes('/api/v1/') || prefixes.some((p) => under(url, p));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What the app window shows instead of a blank page when the app did not load: the problem and a way back. */
export function loadFailurePage(appUrl: string, problem: string): string {
  const html = `<!doctype html><meta charset="utf-8"><title>Could not open ${escapeHtml(appUrl)}</title>
<body style="font:15px system-ui,sans-serif;margin:3em;max-width:44em;line-height:1.5">
<h1 style="font-size:1.3em">Could not open your app</h1>
<p>${escapeHtml(problem)}</p>
<p>Is your dev server running? Start it, then <a href="${escapeHtml(appUrl)}">try again</a>.</p>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

/** Response headers any page may read from a cross-origin CORS response (Fetch standard). */
const CORS_SAFELISTED = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);
/** Never readable by page scripts, whatever the origin. */
const FORBIDDEN_RESPONSE = new Set(['set-cookie', 'set-cookie2']);

const originOf = (url: string | null) => {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
};

/** The response header names a page script could read: all on its own origin, else safelisted plus exposed. */
function readableResponseHeader(exchange: Exchange, pageUrl: string | null): (name: string) => boolean {
  if (originOf(exchange.request.url) === originOf(pageUrl) && originOf(pageUrl) !== 'null')
    return (name) => !FORBIDDEN_RESPONSE.has(name);
  const headers = exchange.response?.headers ?? [];
  const value = (wanted: string) =>
    headers
      .filter(([name]) => name.toLowerCase() === wanted)
      .map(([, v]) => v)
      .join(',');
  const exposed = new Set(
    value('access-control-expose-headers')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  // `*` exposes everything only to requests without credentials, and a response that allows credentials may
  // have answered one: read literally there.
  const wildcard = exposed.has('*') && value('access-control-allow-credentials').trim() !== 'true';
  return (name) =>
    !FORBIDDEN_RESPONSE.has(name) && (CORS_SAFELISTED.has(name) || wildcard || exposed.has(name));
}

/**
 * What the page's own overlay may be handed of an exchange the window captured: only what the page's scripts
 * could read themselves. That is a fetch()/XHR of the main frame, as its final response (not the redirects the
 * browser followed), with the request headers the page side set (never the Cookie the browser added) and the
 * response headers CORS lets it read (never Set-Cookie). A response the browser withheld (CORS) is a bare network
 * error, as the page saw it. Anything else (navigations, preflights, subframes) is not the page's: null.
 */
export function pageVisibleExchange(exchange: Exchange, context: WindowCaptureContext): Exchange | null {
  if (!context.fromMainFrame || context.redirected) return null;
  if (context.resourceType !== 'Fetch' && context.resourceType !== 'XHR') return null;
  const { blockedCookies, cookieHeader: _cookie, setCookies: _set, ...rest } = exchange;
  const request = {
    ...exchange.request,
    headers: context.pageRequestHeaders.filter(([name]) => name !== 'cookie'),
  };
  if (context.withheld || !exchange.response) {
    return { ...rest, request, response: null, error: 'network error' };
  }
  const readable = readableResponseHeader(exchange, context.pageUrl);
  return {
    ...rest,
    request,
    response: {
      ...exchange.response,
      headers: exchange.response.headers.filter(([name]) => readable(name.toLowerCase())),
    },
    ...(blockedCookies ? { blockedCookies: blockedCookies.map(({ line: _line, ...cookie }) => cookie) } : {}),
  };
}
