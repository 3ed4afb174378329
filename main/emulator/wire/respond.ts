import type { Context } from 'hono';
import type { EmulatorEnv } from './env.js';

/** A smart JSON response: compact, or 2-space indented when the client accepts text/html (a browser). */
export function json(
  c: Context<EmulatorEnv>,
  body: unknown,
  status = 200,
  cacheControl = 'no-store, max-age=0',
): Response {
  const pretty = (c.req.header('accept') ?? '').includes('text/html');
  return new Response(JSON.stringify(body, null, pretty ? 2 : undefined), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': cacheControl },
  });
}

/** Upstream's `bodyType: "success"`. */
export function success(c: Context<EmulatorEnv>): Response {
  return json(c, { success: true });
}
