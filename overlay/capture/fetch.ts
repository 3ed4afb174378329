import type { Exchange, HeaderPairs } from '../../shared/checker/types.js';
import { clip, exchangeId, readableContentType } from './backend.js';

export type ExchangeSink = (exchange: Exchange) => void;
/** Returns the absolute URL when the request goes to the backend, null otherwise. */
export type BackendMatcher = (url: string) => string | null;

interface FetchHost {
  fetch: typeof fetch;
}

const MAX_READ_BYTES = 1024 * 1024;

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

function pairs(headers: HeadersInit | undefined): HeaderPairs {
  if (!headers) return [];
  const out: [string, string][] = [];
  new Headers(headers).forEach((value, name) => {
    out.push([name, value]);
  });
  return out;
}

function bodyText(body: BodyInit | null | undefined): string | null {
  if (typeof body === 'string') return clip(body);
  if (body instanceof URLSearchParams) return clip(body.toString());
  return null;
}

async function responseBody(response: Response): Promise<string | null> {
  const length = Number(response.headers.get('content-length') ?? '0');
  if (response.body === null || length > MAX_READ_BYTES) return null;
  if (!readableContentType(response.headers.get('content-type'))) return null;
  return clip(await response.clone().text());
}

/**
 * Observe the page's fetch calls to the backend without changing them: the original runs first with the very same
 * arguments, non-backend calls get the original promise back, and backend responses are read from a clone taken
 * before the page sees the response (so its body is never consumed). Returns a function that restores fetch.
 */
export function observeFetch(
  host: FetchHost,
  isBackend: BackendMatcher,
  sink: ExchangeSink,
  /** Answered exchanges whose body is still being read: run one to report it now, without its body. */
  answered?: Set<() => void>,
): () => void {
  const original = host.fetch;
  const observed = function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    // biome-ignore lint/complexity/noArguments: forward exactly what the page passed, however many arguments
    const pending: Promise<Response> = Reflect.apply(original, this, arguments);
    let url: string | null = null;
    try {
      url = isBackend(urlOf(input));
    } catch {
      url = null;
    }
    if (url === null) return pending;
    const started = performance.now();
    const base = {
      id: exchangeId(),
      startedAt: Date.now(),
      request: {
        method: (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase(),
        url,
        headers: pairs(init?.headers ?? (input instanceof Request ? input.headers : undefined)),
        body: bodyText(init?.body),
      },
    };
    const report = (rest: Pick<Exchange, 'response' | 'error'>) => {
      try {
        sink({ ...base, durationMs: Math.round(performance.now() - started), ...rest });
      } catch {
        // Observation must never break the page.
      }
    };
    // A fresh promise settled like the original keeps the page's unhandled-rejection reporting unchanged.
    return new Promise<Response>((resolve, reject) => {
      pending.then(
        (response) => {
          const headers = pairs(response.headers);
          const meta = { status: response.status, statusText: response.statusText, headers };
          // The page may navigate away before the clone is read (a sign-out redirects at once): the page's
          // pagehide handler can then report the exchange without its body instead of losing it.
          let reported = false;
          const finish = (body: string | null) => {
            if (reported) return;
            reported = true;
            answered?.delete(now);
            report({ response: { ...meta, body } });
          };
          const now = () => finish(null);
          answered?.add(now);
          responseBody(response)
            .catch(() => null)
            .then(finish);
          resolve(response);
        },
        (error: unknown) => {
          report({ response: null, error: String(error) });
          reject(error);
        },
      );
    });
  };
  host.fetch = observed as typeof fetch;
  return () => {
    if (host.fetch === observed) host.fetch = original;
  };
}
