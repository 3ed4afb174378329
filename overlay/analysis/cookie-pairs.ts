import { readSessionJar } from '../../shared/checker/hazards/jar.js';
import type { JarCookie } from '../../shared/checker/types.js';
import { cookieTwinName, type Family, parseCookieName } from '../../shared/registry/index.js';
import { decodeClaims } from './jwt.js';

/** `stale`: stack-access that 2.8.108 never updates (a newer hexclave-access exists, or no session is left). */
export type PairStatus = 'match' | 'mismatch' | 'stale' | 'stack-only' | 'hexclave-only';

export interface CookieSide {
  readonly name: string;
  /** Short, secret-free description of the value (token tails, user, update time). */
  readonly summary: string;
  /** What the comparison looks at: the refresh token, [refresh, access] or the decoded value. */
  readonly identity: string;
  /** The access token inside an access cookie. */
  readonly accessToken?: string | null;
}

export interface CookiePair {
  /** Registry kind: `refresh-default`, `access`, `oauth-outer`, … */
  readonly kind: string;
  readonly stack: CookieSide | null;
  readonly hexclave: CookieSide | null;
  /** Name of the missing twin, when the cookie has one in the registry. */
  readonly missingTwin: string | null;
  readonly status: PairStatus;
  /** Why a mismatch is one, in plain words. */
  readonly detail: string | null;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A value the dev tool already fingerprinted (`redacted#…:43`) counts by the secret's own length. */
function fingerprintLength(value: string): number | null {
  const m = /^redacted#[0-9a-f]{8}:(\d+)$/.exec(value);
  return m ? Number(m[1]) : null;
}

const tail = (token: string | null) => (token ? `…${token.slice(-6)}` : 'none');

function describe(cookie: JarCookie, kind: string): CookieSide {
  const jar = readSessionJar([cookie]);
  const refresh = jar.structuredRefresh[0] ?? jar.legacyRefresh[0];
  if (refresh) {
    const updated = refresh.updatedAt ? ` · updated ${new Date(refresh.updatedAt).toISOString()}` : '';
    return {
      name: cookie.name,
      summary: `refresh ${tail(refresh.refreshToken)}${updated}`,
      identity: refresh.refreshToken ?? decoded(cookie.value),
    };
  }
  const access = jar.access[0];
  if (access) {
    let accessToken: string | null = null;
    try {
      const parsed: unknown = JSON.parse(decoded(cookie.value));
      if (Array.isArray(parsed) && typeof parsed[1] === 'string') accessToken = parsed[1];
    } catch {
      // summarised as unreadable below
    }
    const claims = accessToken ? decodeClaims(accessToken) : null;
    const who = claims?.email ?? claims?.sub ?? 'unreadable token';
    return {
      name: cookie.name,
      summary: `${who} · refresh ${tail(access.refreshToken)}`,
      // The session is what matters: 2.8.108 refreshes hexclave-access only, so access tokens drift apart anyway.
      identity: access.refreshToken ?? decoded(cookie.value),
      accessToken,
    };
  }
  const value = decoded(cookie.value);
  return {
    name: cookie.name,
    summary: kind.startsWith('oauth')
      ? `${fingerprintLength(value) ?? value.length} chars`
      : value.slice(0, 40),
    identity: value,
  };
}

function mismatchDetail(kind: string, stack: CookieSide, hexclave: CookieSide): string {
  const tokens = `stack ${stack.summary.split(' · ')[0]} vs hexclave ${hexclave.summary.split(' · ')[0]}`;
  if (kind.startsWith('refresh')) {
    return `${kind}: two different sessions (${tokens}). Old SDKs use the stack cookie, 2.8.108 the hexclave one, so signing out on one leaves the other signed in.`;
  }
  if (kind === 'access') {
    return `${kind}: the two cookies belong to different sessions. While ${hexclave.name} exists 2.8.108 never falls back to ${stack.name}.`;
  }
  return `${kind}: twin values differ, so old and new readers see different state.`;
}

/**
 * Recognised auth cookies grouped with their registry twin (`stack-access` ↔ `hexclave-access`), values decoded
 * as js-cookie wrote them, and pairs whose twins disagree flagged.
 */
/** `3m 05s`, `2h 04m`: how long ago a token was issued. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

function ageOf(side: CookieSide, now: number): string {
  const iat = side.accessToken ? decodeClaims(side.accessToken)?.iat : undefined;
  return typeof iat === 'number'
    ? `its token was issued ${formatAge(now - iat * 1000)} ago`
    : 'its token has no issue time';
}

/** stack-access next to a newer hexclave-access, or with no session left: 2.8.108 never writes or deletes it. */
function staleAccess(
  stack: CookieSide,
  hexclave: CookieSide | null,
  liveSessions: ReadonlySet<string>,
  now: number,
): string | null {
  const sessionLeft = liveSessions.size > 0;
  // Same session with an older token, or a session no refresh cookie holds any more: 2.8.108 left it behind.
  const leftBehind = stack.identity === hexclave?.identity || !liveSessions.has(stack.identity);
  if (
    hexclave &&
    stack.accessToken &&
    hexclave.accessToken &&
    stack.accessToken !== hexclave.accessToken &&
    leftBehind
  ) {
    return `${stack.name} is stale: ${ageOf(stack, now)}. 2.8.108 writes only ${hexclave.name} and never updates or deletes ${stack.name}, so code reading ${stack.name} sees an old token.`;
  }
  if (!hexclave && !sessionLeft) {
    return `${stack.name} is stale: ${ageOf(stack, now)} and no refresh cookie is left (signed out). 2.8.108 never deletes it; it expires on its own within a day.`;
  }
  return null;
}

export function cookiePairs(cookies: readonly JarCookie[], now = Date.now()): CookiePair[] {
  const jar = readSessionJar(cookies);
  const liveSessions = new Set(
    [...jar.structuredRefresh, ...jar.legacyRefresh].flatMap((c) => (c.refreshToken ? [c.refreshToken] : [])),
  );
  const groups = new Map<
    string,
    { kind: string; sides: Partial<Record<Family, JarCookie>>; twin: string | null }
  >();
  for (const cookie of cookies) {
    const parsed = parseCookieName(cookie.name);
    if (!parsed) continue;
    const twin = cookieTwinName(cookie.name);
    const key = twin ? [cookie.name, twin].sort().join('\u0000') : cookie.name;
    const group = groups.get(key) ?? { kind: parsed.kind, sides: {}, twin };
    group.sides[parsed.family] ??= cookie;
    groups.set(key, group);
  }
  const pairs: CookiePair[] = [];
  for (const { kind, sides, twin } of groups.values()) {
    const stack = sides.stack ? describe(sides.stack, kind) : null;
    const hexclave = sides.hexclave ? describe(sides.hexclave, kind) : null;
    let status: PairStatus;
    if (stack && hexclave) status = stack.identity === hexclave.identity ? 'match' : 'mismatch';
    else status = stack ? 'stack-only' : 'hexclave-only';
    const stale = kind === 'access' && stack ? staleAccess(stack, hexclave, liveSessions, now) : null;
    if (stale) status = 'stale';
    pairs.push({
      kind,
      stack,
      hexclave,
      missingTwin: stack && hexclave ? null : twin,
      status,
      detail:
        status === 'mismatch' && stack && hexclave
          ? mismatchDetail(kind, stack, hexclave)
          : status === 'stale'
            ? stale
            : null,
    });
  }
  return pairs.sort((a, b) => Number(b.status === 'mismatch') - Number(a.status === 'mismatch'));
}

/** `document.cookie` as jar cookies (the page sees names and raw values only). */
export function parseDocumentCookie(cookieString: string): JarCookie[] {
  const out: JarCookie[] = [];
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.push({ name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  }
  return out;
}
