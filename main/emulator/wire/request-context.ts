import type { MiddlewareHandler } from 'hono';
import { secureRandomString } from '../../../shared/encoding.js';
import type { EmulatorContext } from '../context.js';
import type { EmulatorEnv } from './env.js';
import { backendRequestHeaders, requestHeader, setResponseHeader } from './wire-headers.js';

const OVERRIDE_ERROR_STATUS = requestHeader('header.override-error-status');

/**
 * Per request: normalize headers for the compat mode, then on the way out stamp the request id (16 lowercase
 * Crockford base32 chars, upstream's generateSecureRandomString(80)) and apply override-error-status: a 4xx
 * becomes 200 plus actual-status when the client asked (any value); a 5xx is never rewritten.
 */
export function requestContext(ctx: EmulatorContext): MiddlewareHandler<EmulatorEnv> {
  return async function wire(c, next) {
    c.set('ctx', ctx);
    c.set('requestId', secureRandomString(80));
    c.set('headers', backendRequestHeaders(c.req.raw.headers, ctx.compat));
    c.set('auth', null);
    await next();
    let response = c.res;
    const status = response.status;
    if (c.var.headers[OVERRIDE_ERROR_STATUS] !== undefined && status >= 400 && status < 500) {
      response = new Response(response.body, { status: 200, headers: new Headers(response.headers) });
      setResponseHeader(response.headers, 'header.actual-status', String(status), ctx.compat);
    }
    setResponseHeader(response.headers, 'header.request-id', c.var.requestId, ctx.compat);
    c.res = response;
  };
}
