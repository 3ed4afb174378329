import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { IngestReply } from '../../shared/overlay-protocol.js';
import { IDLE_CLOSE_CODE, OVERLAY_LIMITS } from '../../shared/overlay-protocol.js';
import type { TrafficHub } from '../traffic/index.js';
import { isLoopbackPageOrigin } from './origins.js';
import { TokenBucket } from './rate-limit.js';
import { OverlayReportSchema, type ParsedOverlayReport } from './schema.js';

/** What a report says about where it belongs: the page, and the backend the exchange went to. */
export interface OverlayRouteHint {
  readonly pageUrl: string;
  readonly backendUrl: string | null;
}

export interface IngestOptions {
  readonly tokenValid: (candidate: string | null) => boolean;
  readonly hub: (hint: OverlayRouteHint) => TrafficHub | null;
  readonly onFocusRequest?: (seq: number, pageUrl: string | null) => void;
  readonly log?: (line: string) => void;
  /** Tests shorten the time limits; production uses OVERLAY_LIMITS. */
  readonly limits?: { readonly idleMs?: number; readonly evictIdleAfterMs?: number };
}

/** Per-origin buckets kept; past this the oldest is forgotten (the global bucket still holds every page). */
const ORIGIN_BUCKETS = 256;

interface Client {
  readonly origin: string;
  lastActive: number;
  idleTimer: NodeJS.Timeout | undefined;
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The overlay's report channel. It is deliberately one-way: a page can add exchanges and snapshots to the Traffic
 * list and ask the UI to focus one; the only answers are acknowledgements of its own reports. No message reaches
 * the API dispatcher, and nothing the companion holds is ever sent back.
 */
export class OverlayIngest {
  private readonly sockets = new WebSocketServer({
    noServer: true,
    maxPayload: OVERLAY_LIMITS.maxMessageBytes,
  });
  private readonly clients = new Map<WebSocket, Client>();
  /** Limits follow the page origin and the companion as a whole, not the socket: reconnecting buys nothing. */
  private readonly originBuckets = new Map<string, TokenBucket>();
  private readonly globalBucket = new TokenBucket(
    OVERLAY_LIMITS.globalMessagesPerSecond,
    OVERLAY_LIMITS.globalBurst,
  );
  private readonly connectionBucket = new TokenBucket(
    OVERLAY_LIMITS.connectionsPerSecond,
    OVERLAY_LIMITS.connectionBurst,
  );
  private readonly idleMs: number;
  private readonly evictIdleAfterMs: number;

  constructor(private readonly options: IngestOptions) {
    this.idleMs = options.limits?.idleMs ?? OVERLAY_LIMITS.idleMs;
    this.evictIdleAfterMs = options.limits?.evictIdleAfterMs ?? OVERLAY_LIMITS.evictIdleAfterMs;
  }

  /** Called for upgrades to the ingest path after the server pinned the Host header. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const origin = request.headers.origin;
    const token = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('token');
    if (!isLoopbackPageOrigin(origin) || !this.options.tokenValid(token)) {
      refuse(socket, '403 Forbidden');
    } else if (!this.connectionBucket.take()) {
      refuse(socket, '429 Too Many Requests');
    } else if (this.sockets.clients.size >= OVERLAY_LIMITS.maxConnections && !this.evictIdlest()) {
      refuse(socket, '503 Service Unavailable');
    } else {
      this.sockets.handleUpgrade(request, socket, head, (ws) => this.accept(ws, origin!));
    }
  }

  close(): void {
    for (const client of this.clients.values()) clearTimeout(client.idleTimer);
    for (const ws of this.sockets.clients) ws.terminate();
    this.sockets.close();
  }

  /** At the connection limit: close the socket idle the longest, so idle sockets never lock a page out. */
  private evictIdlest(): boolean {
    let idlest: [WebSocket, Client] | undefined;
    for (const entry of this.clients)
      if (!idlest || entry[1].lastActive < idlest[1].lastActive) idlest = entry;
    if (!idlest || Date.now() - idlest[1].lastActive < this.evictIdleAfterMs) return false;
    this.closeIdle(idlest[0], idlest[1]);
    return true;
  }

  private closeIdle(ws: WebSocket, client: Client): void {
    clearTimeout(client.idleTimer);
    this.clients.delete(ws);
    ws.close(IDLE_CLOSE_CODE, 'idle');
    // A peer that ignores the close handshake still loses its slot.
    setTimeout(() => ws.terminate(), 1_000).unref();
  }

  private touch(ws: WebSocket, client: Client): void {
    client.lastActive = Date.now();
    clearTimeout(client.idleTimer);
    client.idleTimer = setTimeout(() => this.closeIdle(ws, client), this.idleMs);
    client.idleTimer.unref();
  }

  private bucketFor(origin: string): TokenBucket {
    let bucket = this.originBuckets.get(origin);
    if (bucket) {
      this.originBuckets.delete(origin);
    } else {
      bucket = new TokenBucket(OVERLAY_LIMITS.messagesPerSecond, OVERLAY_LIMITS.burst);
      if (this.originBuckets.size >= ORIGIN_BUCKETS)
        this.originBuckets.delete(this.originBuckets.keys().next().value!);
    }
    this.originBuckets.set(origin, bucket);
    return bucket;
  }

  private accept(ws: WebSocket, origin: string): void {
    const client: Client = { origin, lastActive: Date.now(), idleTimer: undefined };
    this.clients.set(ws, client);
    this.touch(ws, client);
    let lastDropNotice = 0;
    const reply = (message: IngestReply) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const drop = (reason: string) => {
      // At most one notice a second: a flooding page must not turn the companion into an amplifier.
      if (Date.now() - lastDropNotice < 1_000) return;
      lastDropNotice = Date.now();
      reply({ type: 'dropped', reason });
    };
    this.options.log?.(`Overlay connected from ${origin}`);
    ws.on('close', () => {
      clearTimeout(client.idleTimer);
      this.clients.delete(ws);
      this.options.log?.(`Overlay from ${origin} disconnected`);
    });
    // Oversized frames and protocol errors close the socket (1009/1002); they must never crash the companion.
    ws.on('error', (error) => this.options.log?.(`Overlay socket from ${origin} closed: ${error.message}`));
    reply({ type: 'ready', version: 'v1' });
    ws.on('message', (data, isBinary) => {
      if (!this.bucketFor(origin).take())
        return drop(
          `rate limit: at most ${OVERLAY_LIMITS.messagesPerSecond} reports a second per page origin`,
        );
      if (!this.globalBucket.take())
        return drop(`rate limit: at most ${OVERLAY_LIMITS.globalMessagesPerSecond} reports a second in all`);
      if (isBinary) return drop('reports are JSON text');
      let parsed: ParsedOverlayReport;
      try {
        const result = OverlayReportSchema.safeParse(JSON.parse(String(data)));
        if (!result.success) {
          const issue = result.error.issues[0];
          return drop(`not a report: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`.trim());
        }
        parsed = result.data;
      } catch {
        return drop('not JSON');
      }
      this.touch(ws, client);
      this.handle(parsed, reply, drop);
    });
  }

  private handle(
    report: ParsedOverlayReport,
    reply: (m: IngestReply) => void,
    drop: (reason: string) => void,
  ) {
    if (report.type === 'focus') {
      this.options.onFocusRequest?.(report.seq, report.pageUrl ?? null);
      return;
    }
    const hub = this.options.hub({
      pageUrl: report.pageUrl,
      backendUrl: report.type === 'exchange' ? report.exchange.request.url : null,
    });
    if (!hub) return drop('no project is open in the companion');
    if (report.type === 'exchange') {
      const item = hub.record({
        source: 'overlay',
        pageUrl: report.pageUrl,
        exchange: report.exchange,
        attribution: report.attribution,
        findings: report.findings,
      });
      reply({ type: 'ack', id: report.exchange.id, seq: item.seq });
      return;
    }
    hub.pages.record({
      source: 'overlay',
      pageUrl: report.pageUrl,
      snapshot: report.snapshot,
      findings: report.findings,
    });
  }
}
