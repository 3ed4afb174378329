import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';

/**
 * The companion's UI is served from its own privileged scheme rather than file:// (Electron security checklist 18):
 * a real origin for `'self'` in the CSP, no file:// privileges for the page, and only the built renderer folder is
 * reachable.
 */
export const APP_SCHEME = 'hexclave-companion';
const APP_HOST = 'app';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Sent with every file of the UI. Stricter than the `<meta>` policy in renderer/index.html, which also serves the
 * browser UI (`serve`, which needs its WebSocket); the browser enforces both.
 */
export const APP_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** A URL of the companion's own UI (any path, query or hash on the app scheme and host). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

const originOf = (url: string | undefined) => {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
};

/**
 * The companion's own UI: the app scheme, or (development, `ELECTRON_RENDERER_URL`) exactly the dev server's
 * origin — compared as origins, so `http://localhost:5173.evil.tld` or `http://localhost:5173@evil.tld` never pass.
 */
export function companionUrlMatcher(devServerUrl?: string): (url: string) => boolean {
  const devOrigin = originOf(devServerUrl);
  const dev = devOrigin && devOrigin !== 'null' ? devOrigin : null;
  return (url) => isAppUrl(url) || (dev !== null && originOf(url) === dev);
}

/** Must run before the app is ready (Electron reads privileged schemes at start-up). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** After ready: answer the app scheme from the built renderer folder. */
export function serveAppScheme(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(request.url, rendererDir));
}

const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });

/** The file a URL of the app scheme names, inside `rendererDir` and nowhere else. */
export async function rendererResponse(url: string, rendererDir: string): Promise<Response> {
  if (!isAppUrl(url)) return notFound();
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return notFound();
  }
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  if (!file.startsWith(root + sep)) return notFound();
  try {
    const body = await readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': APP_CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return notFound();
  }
}
