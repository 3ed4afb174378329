import {
  type ClientFamily,
  type Family,
  identifier,
  KNOWN_SDK_VERSIONS,
  type KnownSdkVersion,
  normalizeRequestHeaders,
} from '../registry/index.js';
import { headerRecord } from './exchange.js';
import {
  newestOfFamily,
  readSessionJar,
  type SessionCookie,
  type SessionJar,
  selectedBy108,
} from './hazards/jar.js';
import type { Exchange, JarCookie } from './types.js';

/**
 * What the SDK running on a page can read from the cookie jar, by its generation: 2.8.102 reads only stack-*
 * cookies, 2.8.108 reads hexclave-* first and falls back to stack-* (docs/sdk-as-shipped.md §3.4). The families
 * each generation reads come from the registry's shipping facts, never from a second list here.
 */

const ACCESS = identifier('cookie.access');
const REFRESH_DEFAULT = identifier('cookie.refresh-default');

export interface SdkGeneration {
  /** Which published SDK's read rules apply. */
  readonly version: KnownSdkVersion;
  /** Why: the client version the page sent, or its header family when it sent none. */
  readonly basis: string;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `js @stackframe/js@2.8.108` → `2.8.108`; null when the value names no version. */
export function clientVersionNumber(clientVersion: string): string | null {
  return /@stackframe\/[\w-]+@(\d+\.\d+\.\d+)/.exec(clientVersion)?.[1] ?? null;
}

/**
 * The generation whose cookie rules apply to the SDK that sent `clientVersion` with headers of `family`: any
 * version before the first hexclave release reads like 2.8.102, anything from it on like 2.8.108.
 */
export function sdkGeneration(clientVersion: string | null, family: ClientFamily): SdkGeneration | null {
  const [oldest, newest] = KNOWN_SDK_VERSIONS;
  const version = clientVersion ? clientVersionNumber(clientVersion) : null;
  if (version) {
    return {
      version: compareVersions(version, newest) >= 0 ? newest : oldest,
      basis: `client version ${clientVersion}`,
    };
  }
  if (family === 'old') return { version: oldest, basis: 'x-stack-* request headers (no client version)' };
  if (family === 'new') return { version: newest, basis: 'x-hexclave-* request headers (no client version)' };
  return null;
}

/** Cookie families the generation reads, from the registry's shipping facts for the refresh and access cookies. */
export function familiesRead(version: KnownSdkVersion): {
  refresh: readonly Family[];
  access: readonly Family[];
} {
  return {
    refresh: REFRESH_DEFAULT.sdk?.uses[version] ?? ['stack'],
    access: ACCESS.sdk?.uses[version] ?? ['stack'],
  };
}

/** The refresh cookie 2.8.102 uses: the legacy raw cookies beat everything, then the newest stack structured one. */
function selectedBy102(jar: SessionJar): SessionCookie | null {
  const legacy =
    jar.legacyRefresh.find((c) => c.parsed.kind === 'refresh-legacy-project' && c.refreshToken) ??
    jar.legacyRefresh.find((c) => c.parsed.kind === 'refresh-legacy' && c.refreshToken) ??
    null;
  return legacy ?? newestOfFamily(jar, 'stack');
}

export interface UnreadableSession {
  readonly family: Family;
  readonly cookieNames: readonly string[];
  readonly why: string;
}

export interface SdkSession {
  readonly generation: SdkGeneration;
  /** True when the SDK has a refresh token it can read: it is signed in (it fetches an access token if needed). */
  readonly signedIn: boolean;
  /** The refresh cookie the SDK uses. */
  readonly refreshCookie: string | null;
  /** The access cookie whose token the SDK uses (element 0 must be the chosen refresh token). */
  readonly accessCookie: string | null;
  /** The access token the SDK will send, when a readable access cookie belongs to the session. */
  readonly accessToken: string | null;
  /** One line per fact the verdict rests on, secret-free. */
  readonly evidence: readonly string[];
  /** Sessions in the jar this generation cannot read (another generation's cookies). */
  readonly unreadable: readonly UnreadableSession[];
}

function accessPair(cookie: JarCookie): [string, string] | null {
  try {
    const value: unknown = JSON.parse(decodeURIComponent(cookie.value));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return [value[0], value[1]];
    }
  } catch {
    // not an access cookie the SDK can parse
  }
  return null;
}

/** Is the SDK of `generation` signed in with this jar, and with which cookies? */
export function sdkSession(
  cookies: readonly JarCookie[],
  generation: SdkGeneration,
  projectId?: string,
): SdkSession {
  const jar = readSessionJar(cookies, projectId);
  const reads = familiesRead(generation.version);
  const selected = generation.version === '2.8.102' ? selectedBy102(jar) : selectedBy108(jar);
  const evidence: string[] = [];
  const readsText = reads.refresh.map((f) => `${f}-*`).join(' and ');
  evidence.push(`${generation.version} rules (from the ${generation.basis}): reads ${readsText} cookies`);
  const refreshToken = selected?.refreshToken ?? null;
  if (selected && refreshToken) evidence.push(`refresh token from ${selected.cookie.name}`);
  else evidence.push(`no ${readsText} refresh cookie${projectId ? ` for project ${projectId}` : ''}`);

  // Access cookie: the hexclave one first when the generation reads it, else the stack one; honoured only when
  // it belongs to the chosen refresh token.
  const accessNames = [...reads.access]
    .sort((a) => (a === 'hexclave' ? -1 : 1))
    .map((f) => ACCESS[f === 'stack' ? 'old' : 'new']!);
  const accessCookie = accessNames.map((n) => cookies.find((c) => c.name === n)).find(Boolean) ?? null;
  let accessToken: string | null = null;
  if (accessCookie) {
    const pair = accessPair(accessCookie);
    if (pair && refreshToken && pair[0] === refreshToken) {
      accessToken = pair[1];
      evidence.push(`access token from ${accessCookie.name} (same session)`);
    } else if (!refreshToken) {
      evidence.push(
        `${accessCookie.name} is ignored: without a refresh cookie it belongs to no session (left over)`,
      );
    } else {
      evidence.push(`${accessCookie.name} is ignored: it belongs to another session`);
    }
  }

  const unreadable: UnreadableSession[] = [];
  for (const family of ['stack', 'hexclave'] as const) {
    if (reads.refresh.includes(family)) continue;
    const names = jar.structuredRefresh
      .filter((c) => c.family === family && c.refreshToken)
      .map((c) => c.cookie.name);
    if (names.length === 0) continue;
    unreadable.push({
      family,
      cookieNames: names,
      why: `${generation.version} reads only ${readsText} cookies; ${names.join(', ')} holds a session written by ${family === 'hexclave' ? '2.8.108 or later (it migrated the refresh cookie)' : 'an older SDK'}.`,
    });
  }
  return {
    generation,
    signedIn: refreshToken !== null,
    refreshCookie: refreshToken ? selected!.cookie.name : null,
    accessCookie: accessToken ? accessCookie!.name : null,
    accessToken,
    evidence,
    unreadable,
  };
}

export interface PendingMigration {
  /** Cookies the SDK's next token write deletes. */
  readonly deletes: readonly string[];
  /** The cookie it writes instead. */
  readonly writes: string;
  /** Who that signs out, in plain words. */
  readonly signsOut: string;
}

/**
 * A 2.8.108 (or later) SDK whose session still lives in stack-refresh-* cookies: its next token write (sign-in, an
 * access-token refresh, sign-out) writes the hexclave cookie and deletes every stack-refresh-* one.
 */
export function pendingRefreshMigration(
  cookies: readonly JarCookie[],
  generation: SdkGeneration,
  projectId?: string,
): PendingMigration | null {
  if (generation.version === '2.8.102') return null;
  const jar = readSessionJar(cookies, projectId);
  if (jar.structuredRefresh.some((c) => c.family === 'hexclave' && c.refreshToken)) return null;
  const stack = [...jar.structuredRefresh, ...jar.legacyRefresh].filter(
    (c) => c.family === 'stack' && c.refreshToken,
  );
  if (stack.length === 0) return null;
  const pid = projectId ?? stack[0]!.parsed.projectId ?? '{projectId}';
  return {
    deletes: stack.map((c) => c.cookie.name),
    writes: REFRESH_DEFAULT.new!.replace('{projectId}', pid),
    signsOut:
      'every app on this site still on @stackframe/js 2.8.102 or older (it reads only stack-* cookies, finds no session and shows the user signed out)',
  };
}

const CLIENT_VERSION = identifier('header.client-version');

/** The generation of the newest exchange that named its SDK (headers, client version). */
export function generationOfTraffic(exchanges: readonly Exchange[]): SdkGeneration | null {
  for (let i = exchanges.length - 1; i >= 0; i--) {
    const headers = headerRecord(exchanges[i]!.request.headers);
    const family = normalizeRequestHeaders(headers).family;
    if (family === 'none') continue;
    return sdkGeneration(headers[CLIENT_VERSION.new!] ?? headers[CLIENT_VERSION.old] ?? null, family);
  }
  return null;
}
