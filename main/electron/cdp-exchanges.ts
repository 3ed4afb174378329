import { STATUS_CODES } from 'node:http';
import type { BlockedCookie, Exchange, HeaderPairs } from '../../shared/checker/index.js';
import type {
  CdpHeaders,
  CdpNetworkEvents,
  CdpResponse,
  LoadingFailed,
  RequestWillBeSent,
  RequestWillBeSentExtraInfo,
  ResponseReceivedExtraInfo,
} from './cdp-protocol.js';

/** Where and how the page made an exchange: what decides whether the page itself could read it. */
export interface CaptureContext {
  /** The document that made the request (`documentURL`). */
  readonly pageUrl: string | null;
  /** The frame that made the request (`frameId`); compare with the page's main frame. */
  readonly frameId: string | null;
  /** The protocol's resource type: Fetch, XHR, Document, Preflight, … */
  readonly resourceType: string | null;
  /** This hop ended in a redirect that the browser followed: the page never saw it. */
  readonly redirected: boolean;
  /** Who answered: the network, the HTTP cache, or the page's service worker. */
  readonly servedBy: 'network' | 'cache' | 'service-worker';
  /** The browser withheld the response from the page (CORS failure or another block). */
  readonly withheld: boolean;
  /** The request headers as the page side set them (without what the network layer adds: Cookie, …). */
  readonly pageRequestHeaders: HeaderPairs;
}

export interface CdpAssemblerOptions {
  /** Backend calls (by `/api/v1/` path or configured API URL); every other hop is left out. */
  readonly isBackend: (url: string) => boolean;
  /** `Network.getResponseBody`; null when the body is gone or not text. */
  readonly responseBody: (requestId: string) => Promise<string | null>;
  /** `Network.getRequestPostData`, for bodies CDP did not inline. */
  readonly requestBody: (requestId: string) => Promise<string | null>;
  readonly emit: (exchange: Exchange, context: CaptureContext) => void;
  /**
   * A hop whose `hasExtraInfo` promised raw headers is held until they arrive, at most this long (default 2 s): the
   * protocol sends them on another channel, so they may trail everything else.
   */
  readonly extraInfoTimeoutMs?: number;
  /** A failed hop has no `hasExtraInfo` flag; raw headers that have not come are waited for this long (500 ms). */
  readonly failureGraceMs?: number;
  readonly schedule?: (run: () => void, ms: number) => void;
}

/** One request and its answer: a request id has one hop per redirect. */
interface Hop {
  readonly sent: RequestWillBeSent;
  response?: CdpResponse;
  /** undefined until the protocol says (responseReceived, or the next hop's redirectHasExtraInfo). */
  hasExtraInfo?: boolean;
  servedFromCache?: boolean;
  end?: { readonly timestamp: number; readonly redirected: boolean; readonly failure: LoadingFailed | null };
  body?: Promise<string | null>;
  timerArmed?: boolean;
  timedOut?: boolean;
}

/**
 * Everything the protocol said under one request id. It sends the page-side events (requestWillBeSent,
 * responseReceived, loading*) and the network-side ExtraInfo events on two channels: each keeps its own order, but
 * neither is ordered against the other, so an ExtraInfo event can come before the requestWillBeSent of its hop or
 * after loadingFinished. What pairs them is position: the n-th ExtraInfo of each kind belongs to the n-th hop that
 * has ExtraInfo at all (hops served from the cache or a service worker have none, and say so).
 */
interface Chain {
  readonly hops: Hop[];
  readonly requestExtras: RequestWillBeSentExtraInfo[];
  readonly responseExtras: ResponseReceivedExtraInfo[];
  /** Hops already emitted (or skipped as not backend). */
  done: number;
  /** An emit is waiting for its bodies; hops are emitted in order. */
  busy: boolean;
  /** The first page-side event was not the request's start (attached mid-request): pairing is unknowable. */
  partial: boolean;
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

function blockedCookies(
  request: RequestWillBeSentExtraInfo | undefined,
  response: ResponseReceivedExtraInfo | undefined,
): BlockedCookie[] {
  const out: BlockedCookie[] = [];
  for (const c of request?.associatedCookies ?? []) {
    if (c.blockedReasons.length > 0) {
      out.push({ direction: 'request', name: c.cookie.name, reasons: [...c.blockedReasons] });
    }
  }
  for (const c of response?.blockedCookies ?? []) {
    const name = c.cookie?.name ?? c.cookieLine.split('=')[0]!.trim();
    out.push({ direction: 'response', name, reasons: [...c.blockedReasons], line: c.cookieLine });
  }
  return out;
}

function failureText(failure: LoadingFailed): string {
  if (failure.canceled) return `canceled (${failure.errorText})`;
  if (failure.corsErrorStatus) {
    const { corsError, failedParameter } = failure.corsErrorStatus;
    return `${failure.errorText} (CORS: ${corsError}${failedParameter ? ` ${failedParameter}` : ''})`;
  }
  if (failure.blockedReason) return `${failure.errorText} (blocked: ${failure.blockedReason})`;
  return failure.errorText;
}

/** The reason phrase of the status the wire carried (the page-side response may show another: 200 for a 304). */
function statusText(
  status: number,
  raw: ResponseReceivedExtraInfo | undefined,
  page: CdpResponse | undefined,
) {
  const line = raw?.headersText?.split('\r\n', 1)[0];
  const phrase = line ? /^HTTP\/[\d.]+ \d{3} ?(.*)$/.exec(line)?.[1] : undefined;
  if (phrase !== undefined) return phrase;
  if (page && page.status === status) return page.statusText;
  return STATUS_CODES[status] ?? '';
}

/**
 * Turns the Network domain's events of one page into Exchanges: one per hop of a redirect chain, each with its own
 * raw request and response headers (Cookie, Set-Cookie), the cookies Chromium blocked and why, the wire status
 * (also for responses the page never got, such as CORS failures), and the bodies of backend calls. Pure: the
 * caller feeds events and answers the two body look-ups.
 */
export class CdpExchangeAssembler {
  private chains = new Map<string, Chain>();
  private readonly timeoutMs: number;
  private readonly graceMs: number;
  private readonly schedule: (run: () => void, ms: number) => void;

  constructor(private readonly options: CdpAssemblerOptions) {
    this.timeoutMs = options.extraInfoTimeoutMs ?? 2_000;
    this.graceMs = options.failureGraceMs ?? 500;
    this.schedule = options.schedule ?? ((run, ms) => setTimeout(run, ms).unref?.());
  }

  handle(method: string, params: unknown): void {
    const event = params as { requestId?: unknown };
    if (typeof event?.requestId !== 'string') return;
    const id = event.requestId;
    switch (method as keyof CdpNetworkEvents) {
      case 'Network.requestWillBeSent':
        this.requestWillBeSent(id, params as RequestWillBeSent);
        break;
      case 'Network.requestWillBeSentExtraInfo':
        this.chain(id).requestExtras.push(params as RequestWillBeSentExtraInfo);
        this.advance(id);
        break;
      case 'Network.responseReceivedExtraInfo':
        this.chain(id).responseExtras.push(params as ResponseReceivedExtraInfo);
        this.advance(id);
        break;
      case 'Network.responseReceived': {
        const hop = this.current(id);
        if (!hop) break;
        const { response, hasExtraInfo } = params as CdpNetworkEvents['Network.responseReceived'];
        hop.response = response;
        hop.hasExtraInfo = hasExtraInfo ?? true;
        break;
      }
      case 'Network.requestServedFromCache': {
        const hop = this.current(id);
        if (hop) hop.servedFromCache = true;
        break;
      }
      case 'Network.loadingFinished':
        this.finish(id, (params as CdpNetworkEvents['Network.loadingFinished']).timestamp, null);
        break;
      case 'Network.loadingFailed': {
        const failed = params as LoadingFailed;
        this.finish(id, failed.timestamp, failed);
        break;
      }
    }
  }

  /** Forget requests in flight (the debugger detached; their remaining events will not come). */
  reset(): void {
    this.chains = new Map();
  }

  private chain(id: string): Chain {
    let chain = this.chains.get(id);
    if (!chain) {
      chain = { hops: [], requestExtras: [], responseExtras: [], done: 0, busy: false, partial: false };
      this.chains.set(id, chain);
      if (this.chains.size > TRACKED) this.chains.delete(this.chains.keys().next().value!);
    }
    return chain;
  }

  /** The hop the page-side events are about: the last one started. */
  private current(id: string): Hop | undefined {
    const chain = this.chains.get(id);
    return chain && !chain.partial ? chain.hops.at(-1) : undefined;
  }

  private requestWillBeSent(id: string, event: RequestWillBeSent): void {
    const chain = this.chain(id);
    const previous = chain.hops.at(-1);
    if (event.redirectResponse) {
      if (!previous || previous.end) {
        chain.partial = true;
        return;
      }
      previous.response = event.redirectResponse;
      previous.hasExtraInfo = event.redirectHasExtraInfo ?? true;
      previous.end = { timestamp: event.timestamp, redirected: true, failure: null };
    } else if (previous) {
      return; // a second start under one id: not a request this assembler can follow
    }
    chain.hops.push({ sent: event });
    this.advance(id);
  }

  private finish(id: string, timestamp: number, failure: LoadingFailed | null): void {
    const chain = this.chains.get(id);
    const hop = chain?.hops.at(-1);
    if (!chain || chain.partial || !hop || hop.end) {
      this.chains.delete(id);
      return;
    }
    hop.end = { timestamp, redirected: false, failure };
    const url = hop.sent.request.url;
    if (!failure && this.options.isBackend(url) && READABLE_MIME.test(hop.response?.mimeType ?? 'text')) {
      // Asked now: the browser may drop the body once the page moves on.
      hop.body = this.options.responseBody(id).catch(() => null);
    }
    this.advance(id);
  }

  /** Does this hop still expect ExtraInfo events? true/false when the protocol says, undefined when it cannot. */
  private expectsExtraInfo(hop: Hop): boolean | undefined {
    if (hop.hasExtraInfo !== undefined) return hop.hasExtraInfo;
    // A failed preflight means the request itself was never sent.
    if (hop.end?.failure?.corsErrorStatus?.corsError.startsWith('Preflight')) return false;
    return undefined;
  }

  /** The ExtraInfo events of hop `index`: by position among the hops that have them. */
  private extrasOf(chain: Chain, index: number) {
    let position = 0;
    for (let i = 0; i < index; i++) if (chain.hops[i]!.hasExtraInfo !== false) position++;
    return { request: chain.requestExtras[position], response: chain.responseExtras[position] };
  }

  /** Emits every hop, in order, whose events are all in (or waited for long enough). */
  private advance(id: string): void {
    const chain = this.chains.get(id);
    if (!chain || chain.busy || chain.partial) return;
    while (chain.done < chain.hops.length) {
      const index = chain.done;
      const hop = chain.hops[index]!;
      if (!hop.end) return;
      const backend = this.options.isBackend(hop.sent.request.url);
      const extras = this.extrasOf(chain, index);
      const expects = this.expectsExtraInfo(hop);
      const complete = extras.request !== undefined && extras.response !== undefined;
      if (backend && expects !== false && !complete && !hop.timedOut) {
        this.armTimer(id, chain, hop, expects === true ? this.timeoutMs : this.graceMs);
        return;
      }
      chain.done++;
      if (!backend) continue;
      chain.busy = true;
      void this.emitHop(id, hop, index, expects === false ? {} : extras)
        .catch(() => {}) // a failing listener must not stop the chain
        .finally(() => {
          chain.busy = false;
          this.advance(id);
        });
      return;
    }
    if (chain.hops.at(-1)?.end && !chain.hops.at(-1)!.end!.redirected && this.chains.get(id) === chain) {
      this.chains.delete(id);
    }
  }

  private armTimer(id: string, chain: Chain, hop: Hop, ms: number): void {
    if (hop.timerArmed) return;
    hop.timerArmed = true;
    this.schedule(() => {
      if (this.chains.get(id) !== chain) return;
      hop.timedOut = true;
      this.advance(id);
    }, ms);
  }

  private async emitHop(
    id: string,
    hop: Hop,
    index: number,
    extras: { request?: RequestWillBeSentExtraInfo; response?: ResponseReceivedExtraInfo },
  ): Promise<void> {
    const { sent, response: page, end } = hop;
    const raw = extras.response;
    const [requestBody, responseBody] = await Promise.all([
      sent.request.postData ??
        (sent.request.hasPostData ? this.options.requestBody(id).catch(() => null) : null),
      hop.body ?? null,
    ]);
    const status = raw?.statusCode ?? page?.status;
    const blocked = blockedCookies(extras.request, raw);
    const failure = end!.failure;
    const exchange: Exchange = {
      id: `cdp-${id}-${index}`,
      startedAt: Math.round(sent.wallTime * 1000),
      durationMs: Math.max(0, Math.round((end!.timestamp - sent.timestamp) * 1000)),
      request: {
        method: sent.request.method,
        url: sent.request.url,
        headers: cdpHeaderPairs(extras.request?.headers ?? sent.request.headers),
        body: requestBody,
      },
      response:
        status === undefined
          ? null
          : {
              status,
              statusText: statusText(status, raw, page),
              headers: cdpHeaderPairs(raw?.headers ?? page?.headers),
              body: responseBody,
            },
      ...(failure ? { error: failureText(failure) } : {}),
      ...(blocked.length > 0 ? { blockedCookies: blocked } : {}),
    };
    const servedBy = page?.fromServiceWorker
      ? 'service-worker'
      : page?.fromDiskCache || page?.fromPrefetchCache || hop.servedFromCache
        ? 'cache'
        : 'network';
    this.options.emit(exchange, {
      pageUrl: sent.documentURL ?? null,
      frameId: sent.frameId ?? null,
      resourceType: sent.type ?? null,
      redirected: end!.redirected,
      servedBy,
      withheld: Boolean(failure && (failure.corsErrorStatus || failure.blockedReason)),
      pageRequestHeaders: cdpHeaderPairs(sent.request.headers),
    });
  }
}
