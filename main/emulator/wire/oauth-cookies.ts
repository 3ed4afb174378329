import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { buildCookieName } from '../../../shared/registry/index.js';
import type { CompatMode } from '../compat.js';
import { OUTER_FLOW_MINUTES } from '../domain/oauth/index.js';

/** The CSRF cookie names for one flow: dual writes and accepts both families, legacy only the stack name. */
export function innerCookieNames(state: string, compat: CompatMode): string[] {
  const families = compat === 'dual' ? (['stack', 'hexclave'] as const) : (['stack'] as const);
  return families.map((family) => buildCookieName({ kind: 'oauth-inner', family, state }));
}

/**
 * httpOnly and not Secure, as upstream sets it in development (the emulator serves plain http on loopback), with
 * the attributes in the order Next.js writes them (upstream's tests match the header against a pattern).
 */
export function setInnerCookies(c: Context, state: string, compat: CompatMode): void {
  const maxAge = 60 * OUTER_FLOW_MINUTES;
  const expires = new Date(Date.now() + maxAge * 1000).toUTCString();
  for (const name of innerCookieNames(state, compat)) {
    c.header('set-cookie', `${name}=true; Path=/; Expires=${expires}; Max-Age=${maxAge}; HttpOnly`, {
      append: true,
    });
  }
}

/** True when either accepted name carries the flow's cookie; every name is deleted either way (one-time use). */
export function consumeInnerCookies(c: Context, state: string, compat: CompatMode): boolean {
  // Our states are URL-safe tokens; anything else names no cookie we set (and cannot be a cookie name at all).
  if (!/^[\w-]+$/.test(state)) return false;
  let found = false;
  for (const name of innerCookieNames(state, compat)) {
    if (getCookie(c, name) === 'true') found = true;
    deleteCookie(c, name, { path: '/' });
  }
  return found;
}
