import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CheckContext,
  checkExchangeAsync,
  createFamilyTracker,
  type Exchange,
  type ExpectedMode,
  toHar,
} from '../../shared/checker/index.js';
import { appVersion } from '../version.js';
import { BodyTap, bodyText, openUpstream, pairsFromRaw, upstreamTarget } from './forward.js';
import { createJwksCache, projectOf } from './jwks-cache.js';
import { type CapturedExchange, type ExchangeListener, ExchangeStore } from './store.js';

export interface CaptureProxyOptions {
  /** The backend to forward to, e.g. http://localhost:8102. */
  readonly target: string;
  /** Port to listen on (0 = any free port). */
  readonly port?: number;
  readonly host?: string;
  /** How many exchanges to keep in memory (default 500). */
  readonly capacity?: number;
  readonly expectedMode?: ExpectedMode;
  /** Fetch each project's JWKS from the target and verify token signatures (default true). */
  readonly verifyTokens?: boolean;
  /** Bytes of each body kept for analysis (default 1 MiB); forwarding is never cut. */
  readonly maxCaptureBytes?: number;
}

export interface CaptureProxy {
  readonly url: string;
  readonly port: number;
  readonly target: string;
  /** The kept exchanges, oldest first. */
  exchanges(): CapturedExchange[];
  exchange(id: string): CapturedExchange | undefined;
  /** Called once per exchange after the rules ran; returns an unsubscribe function. */
  onExchange(listener: ExchangeListener): () => void;
  /** HAR 1.2 of the kept exchanges; secrets redacted unless `unsafe`. */
  exportHar(options?: { unsafe?: boolean }): ReturnType<typeof toHar>;
  clear(): void;
  /** Resolves once every request received so far has been answered and checked. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A reverse proxy for SDK traffic: forwards every request unchanged (Host aside) to the target, streams the
 * answer back untouched, and runs each exchange through the rules engine.
 */
export async function startCaptureProxy(options: CaptureProxyOptions): Promise<CaptureProxy> {
  const target = upstreamTarget(options.target);
  const store = new ExchangeStore(options.capacity ?? 500);
  const tracker = createFamilyTracker();
  const jwks = createJwksCache(target.url);
  const limit = options.maxCaptureBytes ?? 1024 * 1024;
  const baseCtx: CheckContext = {
    expectedMode: options.expectedMode ?? 'unknown',
    apiBaseUrls: [target.url.origin],
  };
  let seq = 0;
  let pending = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    pending -= 1;
    if (pending > 0) return;
    for (const resolve of waiters) resolve();
    waiters = [];
  };

  async function analyse(exchange: Exchange, order: number): Promise<void> {
    const attribution = tracker.attribute(exchange);
    const projectId = projectOf(exchange);
    const ctx: CheckContext = { ...baseCtx, ...(projectId ? { projectId } : {}) };
    // Without a key set (no project id, verification off, JWKS unreachable) signatures are "not checked".
    const keys = options.verifyTokens !== false && projectId ? await jwks.get(projectId) : null;
    const findings = await checkExchangeAsync(exchange, { ...ctx, ...(keys ? { jwks: keys } : {}) });
    store.add(exchange, order, attribution, findings);
  }

  const server = http.createServer((req, res) => {
    const order = ++seq;
    pending += 1;
    const startedAt = Date.now();
    const started = performance.now();
    const requestTap = new BodyTap(limit);
    const requestHeaders = pairsFromRaw(req.rawHeaders);
    const url = new URL(req.url ?? '/', target.url).toString();
    let finished = false;
    const finish = (response: Exchange['response'], error?: string) => {
      if (finished) return;
      finished = true;
      const exchange: Exchange = {
        id: `c${order}`,
        startedAt,
        durationMs: performance.now() - started,
        request: {
          method: req.method ?? 'GET',
          url,
          headers: requestHeaders,
          body: bodyText(requestTap, requestHeaders),
        },
        response,
        ...(error ? { error } : {}),
      };
      analyse(exchange, order)
        .catch(() => store.add(exchange, order, tracker.attribute(exchange), []))
        .finally(settle);
    };
    const upstream = openUpstream(target, req, (upstreamRes) => {
      const responseTap = new BodyTap(limit);
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, upstreamRes.rawHeaders);
      upstreamRes.on('data', (chunk: Buffer) => responseTap.add(chunk));
      upstreamRes.pipe(res);
      upstreamRes.on('end', () => {
        const headers = pairsFromRaw(upstreamRes.rawHeaders);
        finish({
          status: upstreamRes.statusCode ?? 0,
          statusText: upstreamRes.statusMessage ?? '',
          headers,
          body: bodyText(responseTap, headers),
        });
      });
      upstreamRes.on('error', (error) => {
        res.destroy(error);
        finish(null, `the target broke off its answer: ${error.message}`);
      });
      // The client went away first: the upstream answer is dropped, the exchange still recorded.
      res.on('close', () => {
        if (!res.writableFinished)
          finish(null, 'the client closed the connection before the answer was complete');
      });
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`hexclave-companion proxy: cannot reach ${target.url.origin}: ${error.message}\n`);
      } else {
        res.destroy(error);
      }
      finish(null, error.message);
    });
    req.on('data', (chunk: Buffer) => requestTap.add(chunk));
    req.pipe(upstream);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    target: target.url.toString().replace(/\/$/, ''),
    exchanges: () => store.list(),
    exchange: (id) => store.get(id),
    onExchange: (listener) => store.subscribe(listener),
    exportHar: ({ unsafe } = {}) =>
      toHar(
        store.list().map((c) => ({
          exchange: c.exchange,
          extras: { attribution: c.attribution, findings: c.findings },
        })),
        { unsafe: unsafe === true, creatorVersion: appVersion() },
      ),
    clear: () => store.clear(),
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    stop: () =>
      new Promise<void>((resolve) => {
        target.agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
