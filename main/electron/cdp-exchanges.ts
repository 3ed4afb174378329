import type { BlockedCookie, Exchange, HeaderPairs } from '../../shared/checker/index.js';

/** The parts of the Chrome DevTools Protocol's Network domain this assembler reads (protocol 1.3). */
type CdpHeaders = Readonly<Record<string, string>>;

interface CdpRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: CdpHeaders;
  readonly postData?: string;
  readonly hasPostData?: boolean;
}

interface CdpResponse {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly headers: CdpHeaders;
  readonly mimeType?: string;
}

export interface CdpEvents {
  'Network.requestWillBeSent': {
    requestId: string;
    request: CdpRequest;
    timestamp: number;
    wallTime: number;
    documentURL?: string;
    redirectResponse?: CdpResponse;
  };
  'Network.requestWillBeSentExtraInfo': {
    requestId: string;
    headers: CdpHeaders;
    associatedCookies?: readonly { blockedReasons: readonly string[]; cookie: { name: string } }[];
  };
  'Network.responseReceived': { requestId: string; timestamp: number; response: CdpResponse };
  'Network.responseReceivedExtraInfo': {
    requestId: string;
    headers: CdpHeaders;
    statusCode: number;
    blockedCookies?: readonly {
      blockedReasons: readonly string[];
      cookieLine: string;
      cookie?: { name: string };
    }[];
  };
  'Network.loadingFinished': { requestId: string; timestamp: number; encodedDataLength?: number };
  'Network.loadingFailed': { requestId: string; timestamp: number; errorText: string; canceled?: boolean };
}

export interface CdpAssemblerOptions {
  /** Backend calls (by `/api/v1/` path or configured API URL); everything else is ignored. */
  readonly isBackend: (url: string) => boolean;
  /** `Network.getResponseBody`; null when the body is gone or not text. */
  readonly responseBody: (requestId: string) => Promise<string | null>;
  /** `Network.getRequestPostData`, for bodies CDP did not inline. */
  readonly requestBody: (requestId: string) => Promise<string | null>;
  readonly emit: (exchange: Exchange, pageUrl: string | null) => void;
  /** ExtraInfo events may trail loadingFinished; wait this long for the raw headers (default 100 ms). */
  readonly extraInfoGraceMs?: number;
  readonly schedule?: (run: () => void, ms: number) => void;
}

interface Hop {
  request?: CdpEvents['Network.requestWillBeSent'];
  requestExtra?: CdpEvents['Network.requestWillBeSentExtraInfo'];
  response?: CdpResponse;
  responseExtra?: CdpEvents['Network.responseReceivedExtraInfo'];
}

const TRACKED = 2_000;
const READABLE_MIME = /json|text|x-www-form-urlencoded|javascript|xml/i;

/** CDP joins repeated headers (Set-Cookie) with newlines; the engine wants one pair per value. */
export function cdpHeaderPairs(headers: CdpHeaders | undefined): HeaderPairs {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const line of value.split('\n')) out.push([name.toLowerCase(), line]);
  }
  return out;
}

function blockedCookies(hop: Hop): BlockedCookie[] {
  const out: BlockedCookie[] = [];
  for (const c of hop.requestExtra?.associatedCookies ?? []) {
    if (c.blockedReasons.length > 0) {
      out.push({ direction: 'request', name: c.cookie.name, reasons: [...c.blockedReasons] });
    }
  }
  for (const c of hop.responseExtra?.blockedCookies ?? []) {
    const name = c.cookie?.name ?? c.cookieLine.split('=')[0]!.trim();
    out.push({ direction: 'response', name, reasons: [...c.blockedReasons], line: c.cookieLine });
  }
  return out;
}

/**
 * Turns the Network domain's events of one page into Exchanges: one per hop of a redirect chain, with the raw
 * request and response headers from the ExtraInfo events (Cookie, Set-Cookie), the cookies Chromium blocked and
 * why, and the bodies of backend calls. Pure: the caller feeds events and answers the two body look-ups.
 */
export class CdpExchangeAssembler {
  private readonly hops = new Map<string, Hop>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly grace: number;
  private readonly schedule: (run: () => void, ms: number) => void;

  constructor(private readonly options: CdpAssemblerOptions) {
    this.grace = options.extraInfoGraceMs ?? 100;
    this.schedule = options.schedule ?? ((run, ms) => setTimeout(run, ms));
  }

  handle(method: string, params: unknown): void {
    const event = params as { requestId: string; timestamp: number };
    if (method === 'Network.requestWillBeSent') {
      this.requestWillBeSent(params as CdpEvents['Network.requestWillBeSent']);
    } else if (method === 'Network.requestWillBeSentExtraInfo') {
      this.hop(event.requestId).requestExtra = params as CdpEvents['Network.requestWillBeSentExtraInfo'];
    } else if (method === 'Network.responseReceived') {
      this.hop(event.requestId).response = (params as CdpEvents['Network.responseReceived']).response;
    } else if (method === 'Network.responseReceivedExtraInfo') {
      this.hop(event.requestId).responseExtra = params as CdpEvents['Network.responseReceivedExtraInfo'];
    } else if (method === 'Network.loadingFinished') {
      this.finish(event.requestId, event.timestamp, null);
    } else if (method === 'Network.loadingFailed') {
      const failed = params as CdpEvents['Network.loadingFailed'];
      this.finish(
        event.requestId,
        event.timestamp,
        failed.canceled ? `canceled (${failed.errorText})` : failed.errorText,
      );
    }
  }

  /** Forget requests in flight (the debugger detached; their remaining events will not come). */
  reset(): void {
    this.hops.clear();
  }

  private hop(requestId: string): Hop {
    let hop = this.hops.get(requestId);
    if (!hop) {
      hop = {};
      this.hops.set(requestId, hop);
      if (this.hops.size > TRACKED) this.hops.delete(this.hops.keys().next().value!);
    }
    return hop;
  }

  private requestWillBeSent(event: CdpEvents['Network.requestWillBeSent']): void {
    const previous = this.hops.get(event.requestId);
    if (event.redirectResponse && previous?.request) {
      // The previous hop ended with this redirect; its ExtraInfo events came under the same id before it.
      this.hops.delete(event.requestId);
      void this.complete(
        event.requestId,
        { ...previous, response: event.redirectResponse },
        event.timestamp,
        null,
        false,
      );
    }
    this.hop(event.requestId).request = event;
  }

  private finish(requestId: string, timestamp: number, error: string | null): void {
    const hop = this.hops.get(requestId);
    if (!hop?.request) {
      this.hops.delete(requestId);
      return;
    }
    // Stays in the map until completed, so ExtraInfo events that trail loadingFinished still land on it.
    void this.complete(requestId, hop, timestamp, error, true).finally(() => {
      if (this.hops.get(requestId) === hop) this.hops.delete(requestId);
    });
  }

  /** Hops of one redirect chain are emitted in order, whatever their body look-ups take. */
  private complete(id: string, hop: Hop, end: number, error: string | null, last: boolean): Promise<void> {
    const done = (this.chains.get(id) ?? Promise.resolve())
      .then(() => this.assemble(id, hop, end, error, last))
      .catch(() => {});
    this.chains.set(id, done);
    void done.then(() => {
      if (this.chains.get(id) === done) this.chains.delete(id);
    });
    return done;
  }

  private async assemble(
    id: string,
    hop: Hop,
    end: number,
    error: string | null,
    last: boolean,
  ): Promise<void> {
    const request = hop.request!;
    if (!this.options.isBackend(request.request.url)) return;
    const readable = hop.response && READABLE_MIME.test(hop.response.mimeType ?? 'text');
    const [requestBody, responseBody] = await Promise.all([
      request.request.postData ??
        (request.request.hasPostData ? this.options.requestBody(id).catch(() => null) : null),
      last && !error && readable ? this.options.responseBody(id).catch(() => null) : null,
    ]);
    // A redirect hop's raw headers come before the next hop starts; only the last hop may still be waiting.
    if (last && hop.response && !hop.responseExtra)
      await new Promise<void>((r) => this.schedule(r, this.grace));
    const blocked = blockedCookies(hop);
    const exchange: Exchange = {
      id: `cdp-${id}-${Math.round(request.timestamp * 1000)}`,
      startedAt: Math.round(request.wallTime * 1000),
      durationMs: Math.max(0, Math.round((end - request.timestamp) * 1000)),
      request: {
        method: request.request.method,
        url: request.request.url,
        headers: cdpHeaderPairs(hop.requestExtra?.headers ?? request.request.headers),
        body: requestBody,
      },
      response: hop.response
        ? {
            status: hop.responseExtra?.statusCode ?? hop.response.status,
            statusText: hop.response.statusText,
            headers: cdpHeaderPairs(hop.responseExtra?.headers ?? hop.response.headers),
            body: responseBody,
          }
        : null,
      ...(error ? { error } : {}),
      ...(blocked.length > 0 ? { blockedCookies: blocked } : {}),
    };
    this.options.emit(exchange, request.documentURL ?? null);
  }
}
