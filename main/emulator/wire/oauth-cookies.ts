import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { buildCookieName } from '../../../shared/registry/index.js';
import type { CompatMode } from '../compat.js';
import { OUTER_FLOW_MINUTES } from '../domain/oauth/index.js';

/** The CSRF cookie names for one flow: dual writes and accepts both families, legacy only the stack name. */
export function innerCookieNames(state: string, compat: CompatMode): string[] {
  const families = compat === 'dual' ? (['stack', 'hexclave'] as const) : (['stack'] as const);
  return families.map((family) => buildCookieName({ kind: 'oauth-inner', family, state }));
}

// httpOnly and not Secure, as upstream sets it in development (the emulator serves plain http on loopback).
export function setInnerCookies(c: Context, state: string, compat: CompatMode): void {
  for (const name of innerCookieNames(state, compat)) {
    setCookie(c, name, 'true', {
      httpOnly: true,
      maxAge: 60 * OUTER_FLOW_MINUTES,
      path: '/',
      sameSite: 'Lax',
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
