import {
  IDLE_CLOSE_CODE,
  type IngestReply,
  OVERLAY_INGEST_PATH,
  OVERLAY_LIMITS,
  type OverlayEmbeddedConfig,
  type OverlayReport,
  type OverlayWindowBridge,
} from '../../shared/overlay-protocol.js';

/** `connected`: reports reach the companion; `standalone`: none is running (retrying quietly); `window`: Electron. */
export type ConnectionStatus = 'connecting' | 'connected' | 'standalone' | 'window';

export interface Reporter {
  send(report: OverlayReport): void;
  status(): ConnectionStatus;
  close(): void;
}

export interface ReporterEvents {
  readonly onReply: (reply: IngestReply) => void;
  readonly onStatus: (status: ConnectionStatus) => void;
}

const QUEUED = 100;
const FIRST_RETRY_MS = 2_000;
const LAST_RETRY_MS = 30_000;

/** A report that fits the companion's size limit: bodies go first when it does not. */
/** UTF-8 takes at most 3 bytes per UTF-16 unit, so most reports fit without being encoded to count. */
const fits = (text: string) =>
  text.length * 3 <= OVERLAY_LIMITS.maxMessageBytes ||
  new TextEncoder().encode(text).length <= OVERLAY_LIMITS.maxMessageBytes;

function encode(report: OverlayReport): string | null {
  let text = JSON.stringify(report);
  if (fits(text)) return text;
  if (report.type === 'exchange') {
    const { exchange } = report;
    text = JSON.stringify({
      ...report,
      exchange: {
        ...exchange,
        request: { ...exchange.request, body: null },
        response: exchange.response && { ...exchange.response, body: null },
      },
    });
  }
  return fits(text) ? text : null;
}

/**
 * Reports go over one WebSocket to the companion that served the script. While none answers the overlay works
 * standalone: reports wait in a small queue (oldest dropped) and the socket is retried with a growing pause.
 */
export function connectReporter(config: OverlayEmbeddedConfig, events: ReporterEvents): Reporter {
  const url = `${config.companionOrigin.replace(/^http/, 'ws')}${OVERLAY_INGEST_PATH}?token=${encodeURIComponent(config.ingestToken)}`;
  const queue: string[] = [];
  let socket: WebSocket | null = null;
  let status: ConnectionStatus = 'connecting';
  let retryMs = FIRST_RETRY_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  /** The companion closed the socket because this page had nothing to report: reopen it on the next report. */
  let idle = false;

  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    events.onStatus(next);
  };
  const flush = () => {
    while (socket?.readyState === WebSocket.OPEN && queue.length > 0) socket.send(queue.shift()!);
  };
  const open = () => {
    if (closed) return;
    try {
      socket = new WebSocket(url);
    } catch {
      setStatus('standalone');
      return;
    }
    socket.onopen = () => {
      retryMs = FIRST_RETRY_MS;
      setStatus('connected');
      flush();
    };
    socket.onmessage = (event) => {
      try {
        events.onReply(JSON.parse(String(event.data)) as IngestReply);
      } catch {
        // not a reply we know
      }
    };
    socket.onclose = (event) => {
      socket = null;
      if (event.code === IDLE_CLOSE_CODE && !closed) {
        idle = true;
        return;
      }
      setStatus('standalone');
      if (closed) return;
      timer = setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
    };
  };
  open();

  return {
    send(report) {
      const text = encode(report);
      if (text === null) return;
      queue.push(text);
      if (queue.length > QUEUED) queue.shift();
      if (idle) {
        idle = false;
        open();
      }
      flush();
    },
    status: () => status,
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}

/** In the wrapped window the companion captures traffic itself; the page only sends snapshots and focus requests. */
export function bridgeReporter(bridge: OverlayWindowBridge): Reporter {
  return {
    send(report) {
      if (report.type !== 'exchange') bridge.report(report);
    },
    status: () => 'window',
    close() {},
  };
}
