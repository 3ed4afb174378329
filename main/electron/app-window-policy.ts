import type { Exchange } from '../../shared/checker/index.js';

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
  const allowed = [new URL(appUrl).origin, ...allowedOrigins.map((o) => new URL(o).origin)];
  return allowed.includes(origin);
}

/** Backend calls: any `/api/v1/` path, or a URL under one of the configured API URLs. */
export function backendUrlMatcher(apiUrls: readonly string[]): (url: string) => boolean {
  const prefixes = apiUrls.map((u) => u.replace(/\/+$/, ''));
  return (url) => url.includes('/api/v1/') || prefixes.some((p) => url.startsWith(p));
}

const BROWSER_ONLY_HEADERS = new Set(['cookie', 'set-cookie']);

/**
 * What the page's own overlay may see of an exchange: the page made the request and read the response, but the
 * browser added Cookie and consumed Set-Cookie (HttpOnly values included), so those never go back into the page.
 */
export function pageVisibleExchange(exchange: Exchange): Exchange {
  const strip = (headers: Exchange['request']['headers']) =>
    headers.filter(([name]) => !BROWSER_ONLY_HEADERS.has(name.toLowerCase()));
  const { blockedCookies, cookieHeader: _cookie, setCookies: _set, ...rest } = exchange;
  return {
    ...rest,
    request: { ...exchange.request, headers: strip(exchange.request.headers) },
    response: exchange.response && { ...exchange.response, headers: strip(exchange.response.headers) },
    ...(blockedCookies ? { blockedCookies: blockedCookies.map(({ line: _line, ...cookie }) => cookie) } : {}),
  };
}
