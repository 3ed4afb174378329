import { type Family, type ParsedCookieName, parseCookieName } from '../../registry/index.js';
import { isRecord } from '../exchange.js';
import type { JarCookie } from '../types.js';

/** A session cookie of the jar, decoded the way both SDK versions decode it (js-cookie URL-encodes values). */
export interface SessionCookie {
  readonly cookie: JarCookie;
  readonly parsed: ParsedCookieName;
  readonly family: Family;
  /** Refresh token held by the cookie (structured, legacy raw, or element 0 of an access cookie). */
  readonly refreshToken: string | null;
  /** updated_at_millis of structured refresh cookies; null when missing (the SDK counts it as −∞). */
  readonly updatedAt: number | null;
}

export interface SessionJar {
  readonly structuredRefresh: readonly SessionCookie[];
  readonly legacyRefresh: readonly SessionCookie[];
  readonly access: readonly SessionCookie[];
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(decode(value));
  } catch {
    return undefined;
  }
}

/** Only cookies of `projectId` when given; the access cookie is not project-scoped on purpose. */
export function readSessionJar(cookies: readonly JarCookie[], projectId?: string): SessionJar {
  const structuredRefresh: SessionCookie[] = [];
  const legacyRefresh: SessionCookie[] = [];
  const access: SessionCookie[] = [];
  for (const cookie of cookies) {
    const parsed = parseCookieName(cookie.name);
    if (!parsed) continue;
    if (projectId && parsed.projectId && parsed.projectId !== projectId) continue;
    const base = { cookie, parsed, family: parsed.family };
    if (parsed.kind === 'refresh-default' || parsed.kind === 'refresh-custom') {
      const json = parseJson(cookie.value);
      const token = isRecord(json) && typeof json.refresh_token === 'string' ? json.refresh_token : null;
      const updatedAt =
        isRecord(json) && typeof json.updated_at_millis === 'number' ? json.updated_at_millis : null;
      structuredRefresh.push({ ...base, refreshToken: token, updatedAt });
    } else if (parsed.kind === 'refresh-legacy' || parsed.kind === 'refresh-legacy-project') {
      legacyRefresh.push({ ...base, refreshToken: decode(cookie.value) || null, updatedAt: null });
    } else if (parsed.kind === 'access') {
      const json = parseJson(cookie.value);
      const token = Array.isArray(json) && typeof json[0] === 'string' ? json[0] : null;
      access.push({ ...base, refreshToken: token, updatedAt: null });
    }
  }
  return { structuredRefresh, legacyRefresh, access };
}

function newest(cookies: readonly SessionCookie[]): SessionCookie | null {
  let best: SessionCookie | null = null;
  for (const c of cookies) {
    if (c.refreshToken === null) continue;
    if (!best || (c.updatedAt ?? -Infinity) > (best.updatedAt ?? -Infinity)) best = c;
  }
  return best;
}

export function newestOfFamily(jar: SessionJar, family: Family): SessionCookie | null {
  return newest(jar.structuredRefresh.filter((c) => c.family === family));
}

/**
 * The refresh cookie 2.8.108 uses (docs/sdk-as-shipped.md §3.4): the newest hexclave cookie outright, then the
 * legacy raw cookies (project-scoped first), then the newest stack cookie. No cross-family age comparison.
 */
export function selectedBy108(jar: SessionJar): SessionCookie | null {
  const legacy =
    jar.legacyRefresh.find((c) => c.parsed.kind === 'refresh-legacy-project') ??
    jar.legacyRefresh.find((c) => c.parsed.kind === 'refresh-legacy') ??
    null;
  return newestOfFamily(jar, 'hexclave') ?? legacy ?? newestOfFamily(jar, 'stack');
}

/** Every refresh token the jar holds, per family (legacy raw cookies count as stack). */
export function refreshTokensByFamily(jar: SessionJar): Record<Family, Set<string>> {
  const out: Record<Family, Set<string>> = { stack: new Set(), hexclave: new Set() };
  for (const c of [...jar.structuredRefresh, ...jar.legacyRefresh]) {
    if (c.refreshToken) out[c.family].add(c.refreshToken);
  }
  return out;
}
