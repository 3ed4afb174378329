import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { WebSocketServer } from 'ws';
import type { Dispatch } from '../api/dispatcher.js';
import { serializeError } from '../api/dispatcher.js';
import type { EventBus } from '../api/events.js';
import type { OverlayHost } from '../overlay-host/index.js';
import { LocalGuard } from './guard.js';

/**
 * `serve`'s port unless told otherwise: the same every launch, so a bookmarked tab and the overlay's `<script>`
 * tag in the user's app keep working.
 */
export const DEFAULT_SERVE_PORT = 4480;

export interface ServeOptions {
  readonly port?: number;
  /** Built renderer (out/renderer). */
  readonly rendererDir: string;
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly log?: (line: string) => void;
  /** The in-page dev tool's script and report socket (their own, narrower rules: main/overlay-host). */
  readonly overlay?: OverlayHost;
}

export interface RunningServe {
  readonly port: number;
  readonly origin: string;
  /** The URL to open, carrying the per-launch token in the fragment (never sent to the server or in Referer). */
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "frame-ancestors 'none'",
].join('; ');

function forbidden(message: string) {
  return Response.json({ ok: false, error: { name: 'Forbidden', message } }, { status: 403 });
}

/** Serve the renderer and the typed API over HTTP + WebSocket on 127.0.0.1 (headless / browser mode). */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const token = randomBytes(24).toString('base64url');
  let port = 0;
  const guard = new LocalGuard(token, () => port);
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (!guard.hostAllowed(c.req.header('host'))) return forbidden('Unexpected Host header.');
    // Any page may load the overlay script (a plain <script src>), so only the Host pin applies to it.
    if (options.overlay && c.req.method === 'GET' && c.req.path === options.overlay.scriptPath) {
      return options.overlay.serveScript(c.req.header('host')!, c.req.header('origin'));
    }
    // Reports a page beacons as it goes away: the ingest checks origin and token itself, as for the socket.
    if (options.overlay && c.req.method === 'POST' && c.req.path === options.overlay.ingestPath) {
      return options.overlay.handleBeacon(c.req.raw);
    }
    if (!guard.originAllowed(c.req.header('origin')))
      return forbidden('Cross-origin requests are not allowed.');
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });

  app.post('/api/rpc/:method', async (c) => {
    const auth = c.req.header('authorization')?.replace(/^Bearer\s+/i, '');
    if (!guard.tokenValid(auth)) {
      return c.json(
        { ok: false, error: { name: 'Unauthorized', message: 'Missing or wrong launch token.' } },
        401,
      );
    }
    let input: unknown = {};
    try {
      const text = await c.req.text();
      input = text === '' ? {} : JSON.parse(text);
    } catch {
      return c.json(
        { ok: false, error: { name: 'InvalidInput', message: 'Request body is not JSON.' } },
        400,
      );
    }
    try {
      const result = await options.dispatch(c.req.param('method'), input);
      return c.json({ ok: true, result });
    } catch (error) {
      return c.json({ ok: false, error: serializeError(error) }, 200);
    }
  });

  app.use('/*', serveStatic({ root: options.rendererDir }));
  app.get('*', serveStatic({ root: options.rendererDir, path: 'index.html' }));

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    ) as Server;
    s.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${options.port} on 127.0.0.1 is already in use — another Hexclave Companion may be serving there (open http://127.0.0.1:${options.port}). Stop it, or pass --port with another port (0 = any free port).`,
            )
          : error,
      ),
    );
  });
  port = (server.address() as AddressInfo).port;

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (options.overlay && url.pathname === options.overlay.ingestPath) {
      if (guard.hostAllowed(request.headers.host)) options.overlay.handleUpgrade(request, socket, head);
      else socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const ok =
      url.pathname === '/api/events' &&
      guard.hostAllowed(request.headers.host) &&
      guard.originAllowed(request.headers.origin) &&
      guard.tokenValid(url.searchParams.get('token'));
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const unsubscribe = options.events.subscribe((topic, payload) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ topic, payload }));
      });
      ws.on('close', unsubscribe);
    });
  });

  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    url: `${origin}/#token=${token}`,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate();
      options.overlay?.close();
      sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
