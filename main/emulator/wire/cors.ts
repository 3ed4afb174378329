import type { MiddlewareHandler } from 'hono';
import { corsAllowedRequestHeaders, corsExposedResponseHeaders } from '../../../shared/registry/index.js';
import type { CompatMode } from '../context.js';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

/**
 * Upstream's proxy CORS: every /api/ response carries the lists, and a preflight is answered at once with 200,
 * an empty body and `Vary` over the allowed headers. The lists come from the registry for the compat mode.
 */
export function corsMiddleware(compat: CompatMode): MiddlewareHandler {
  const allowHeaders = corsAllowedRequestHeaders(compat).join(', ');
  const exposeHeaders = corsExposedResponseHeaders(compat).join(', ');
  const apply = (headers: Headers) => {
    headers.set('Access-Control-Allow-Origin', '*');
    headers.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
    headers.set('Access-Control-Allow-Headers', allowHeaders);
    headers.set('Access-Control-Expose-Headers', exposeHeaders);
    headers.set('Access-Control-Max-Age', '86400');
  };
  return async function cors(c, next) {
    if (c.req.method === 'OPTIONS') {
      const headers = new Headers({ Vary: allowHeaders });
      apply(headers);
      return new Response(null, { status: 200, headers });
    }
    await next();
    apply(c.res.headers);
  };
}
