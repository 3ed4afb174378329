import { decodeJwt } from 'jose';
import {
  type Exchange,
  headerRecord,
  isRecord,
  type JsonWebKeySet,
  tokensIn,
} from '../../shared/checker/index.js';
import { identifier } from '../../shared/registry/index.js';

const PROJECT_HEADER = identifier('header.project-id');
const FRESH_MS = 10 * 60_000;
const RETRY_AFTER_FAILURE_MS = 30_000;

/** The project an exchange belongs to: its project-id header (either family), else its token's claims. */
export function projectOf(exchange: Exchange): string | undefined {
  const headers = headerRecord(exchange.request.headers);
  const header = headers[PROJECT_HEADER.new!] ?? headers[PROJECT_HEADER.old];
  if (header) return header;
  for (const found of tokensIn(exchange)) {
    try {
      const claims = decodeJwt(found.token);
      if (typeof claims.project_id === 'string') return claims.project_id;
    } catch {
      // Not a JWT: the unparsable-token rule reports it.
    }
  }
  return undefined;
}

/**
 * Key sets fetched straight from the target (never through the proxy, so they do not show up as traffic),
 * cached per project like jose's remote JWKS (10 min, 30 s before retrying a failure).
 */
export function createJwksCache(target: URL) {
  const cache = new Map<
    string,
    { at: number; jwks: JsonWebKeySet | null; pending?: Promise<JsonWebKeySet | null> }
  >();
  async function load(projectId: string): Promise<JsonWebKeySet | null> {
    const url = new URL(
      `${target.pathname.replace(/\/$/, '')}/api/v1/projects/${encodeURIComponent(projectId)}/.well-known/jwks.json?include_anonymous=true`,
      target,
    );
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      const body: unknown = await res.json();
      return res.ok && isRecord(body) && Array.isArray(body.keys) ? (body as unknown as JsonWebKeySet) : null;
    } catch {
      return null;
    }
  }
  return {
    async get(projectId: string): Promise<JsonWebKeySet | null> {
      const hit = cache.get(projectId);
      const now = Date.now();
      if (hit?.pending) return hit.pending;
      if (hit && now - hit.at < (hit.jwks ? FRESH_MS : RETRY_AFTER_FAILURE_MS)) return hit.jwks;
      const pending = load(projectId);
      cache.set(projectId, { at: now, jwks: hit?.jwks ?? null, pending });
      const jwks = await pending;
      cache.set(projectId, { at: Date.now(), jwks });
      return jwks;
    },
  };
}
