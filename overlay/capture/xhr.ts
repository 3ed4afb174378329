import type { HeaderPairs } from '../../shared/checker/types.js';
import { clip, exchangeId, readableContentType } from './backend.js';
import type { BackendMatcher, ExchangeSink } from './fetch.js';

interface Pending {
  method: string;
  url: string;
  headers: [string, string][];
}

function responseHeaders(xhr: XMLHttpRequest): HeaderPairs {
  const out: [string, string][] = [];
  for (const line of xhr.getAllResponseHeaders().split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) out.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return out;
}

function responseText(xhr: XMLHttpRequest): string | null {
  if (!readableContentType(xhr.getResponseHeader('content-type'))) return null;
  if (xhr.responseType === '' || xhr.responseType === 'text') return clip(xhr.responseText);
  if (xhr.responseType === 'json') return xhr.response === null ? null : clip(JSON.stringify(xhr.response));
  return null;
}

/**
 * Observe XMLHttpRequest calls to the backend: open/setRequestHeader/send are wrapped to remember what was sent
 * and call the originals unchanged; a `loadend` listener reads the finished response.
 */
export function observeXhr(proto: XMLHttpRequest, isBackend: BackendMatcher, sink: ExchangeSink): () => void {
  const pending = new WeakMap<XMLHttpRequest, Pending>();
  const { open, setRequestHeader, send } = proto;

  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL) {
    try {
      const absolute = isBackend(String(url));
      if (absolute) pending.set(this, { method: method.toUpperCase(), url: absolute, headers: [] });
      else pending.delete(this);
    } catch {
      pending.delete(this);
    }
    // biome-ignore lint/complexity/noArguments: forward exactly what the page passed (async, user, password)
    return Reflect.apply(open, this, arguments);
  } as typeof proto.open;

  proto.setRequestHeader = function (this: XMLHttpRequest, name: string, value: string) {
    pending.get(this)?.headers.push([name.toLowerCase(), value]);
    return Reflect.apply(setRequestHeader, this, [name, value]);
  };

  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const request = pending.get(this);
    if (request) {
      const startedAt = Date.now();
      const started = performance.now();
      const id = exchangeId();
      const sent =
        typeof body === 'string' ? clip(body) : body instanceof URLSearchParams ? body.toString() : null;
      this.addEventListener('loadend', () => {
        try {
          const answered = this.status !== 0;
          sink({
            id,
            startedAt,
            durationMs: Math.round(performance.now() - started),
            request: { ...request, body: sent },
            response: answered
              ? {
                  status: this.status,
                  statusText: this.statusText,
                  headers: responseHeaders(this),
                  body: responseText(this),
                }
              : null,
            ...(answered ? {} : { error: 'network error or aborted' }),
          });
        } catch {
          // Observation must never break the page.
        }
      });
    }
    // biome-ignore lint/complexity/noArguments: forward exactly what the page passed
    return Reflect.apply(send, this, arguments);
  };

  return () => {
    Object.assign(proto, { open, setRequestHeader, send });
  };
}
