import type { Exchange } from '../../shared/checker/types.js';

/**
 * A page only ever sees "Failed to fetch". When a backend request that carried non-simple headers got no response,
 * re-ask the backend with each of those headers alone (a GET of the API root, credentials omitted, values
 * `probe`): the ones whose own preflight fails are the ones the backend does not allow. First a plain GET tells
 * a refused preflight from a backend that cannot be reached at all. One probe per backend and header set.
 */

const SAFELISTED = new Set(['accept', 'accept-language', 'content-language', 'content-type']);
const MAX_HEADERS = 16;

export type ProbeResult =
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'preflight-refused'; readonly refused: readonly string[] }
  | { readonly kind: 'not-cors' };

export function createPreflightProbe(fetchFn: typeof fetch) {
  const cache = new Map<string, Promise<ProbeResult>>();
  const answers = (url: string, headers?: Record<string, string>) =>
    fetchFn(url, {
      method: 'GET',
      credentials: 'omit',
      cache: 'no-store',
      ...(headers ? { headers } : {}),
    }).then(
      () => true,
      () => false,
    );
  return (exchange: Exchange): Promise<ProbeResult> | null => {
    let root: string;
    try {
      const url = new URL(exchange.request.url);
      const api = url.pathname.indexOf('/api/v1');
      root = `${url.origin}${api >= 0 ? url.pathname.slice(0, api + '/api/v1'.length) : ''}`;
    } catch {
      return null;
    }
    const names = [...new Set(exchange.request.headers.map(([n]) => n.toLowerCase()))]
      .filter((n) => !SAFELISTED.has(n))
      .sort()
      .slice(0, MAX_HEADERS);
    const key = `${root} ${names.join(',')}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = (async (): Promise<ProbeResult> => {
        if (!(await answers(root))) return { kind: 'unreachable' };
        if (names.length === 0) return { kind: 'not-cors' };
        const results = await Promise.all(names.map((name) => answers(root, { [name]: 'probe' })));
        const refused = names.filter((_, i) => !results[i]);
        return refused.length > 0 ? { kind: 'preflight-refused', refused } : { kind: 'not-cors' };
      })();
      cache.set(key, pending);
    }
    return pending;
  };
}
