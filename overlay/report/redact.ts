import { isSecretHeader } from '../../shared/checker/har.js';
import type { BrowserSnapshot, Exchange, HeaderPairs, JarCookie } from '../../shared/checker/types.js';
import { isSecretParamName, redactSecretsInText } from '../../shared/redact.js';
import { parseCookieName } from '../../shared/registry/index.js';
import { looksLikeJwt, withoutSignature } from '../analysis/jwt.js';

/**
 * What leaves the page is redacted here: access tokens keep their header and claims but lose the signature (the
 * companion can show the user, nobody can use the token), every other secret becomes a short fingerprint so
 * twins can still be compared (`redacted#1a2b3c4d`), and nothing else secret-looking survives.
 */

/** FNV-1a: a stable 32-bit fingerprint, enough to tell two tokens apart and useless to recover one. */
export function fingerprint(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `redacted#${(hash >>> 0).toString(16).padStart(8, '0')}`;
}

export function redactSecret(value: string): string {
  if (value === '') return '';
  return looksLikeJwt(value) ? withoutSignature(value) : fingerprint(value);
}

const isSecretKey = isSecretParamName;

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (typeof value === 'string')
    return looksLikeJwt(value) ? withoutSignature(value) : redactSecretsInText(value);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      typeof v === 'string' && isSecretKey(k) ? redactSecret(v) : redactJson(v),
    ]),
  );
}

export function redactBody(body: string | null | undefined, contentType: string): string | null {
  if (body === null || body === undefined) return null;
  if (contentType.includes('x-www-form-urlencoded')) {
    const params = new URLSearchParams(body);
    for (const [name, value] of [...params]) if (isSecretKey(name)) params.set(name, redactSecret(value));
    return params.toString();
  }
  try {
    return JSON.stringify(redactJson(JSON.parse(body)));
  } catch {
    return redactSecretsInText(body);
  }
}

/** A cookie value as js-cookie stores it, with the tokens inside redacted and the structure kept. */
export function redactCookieValue(name: string, value: string): string {
  if (!parseCookieName(name)) return fingerprint(value);
  try {
    const parsed: unknown = JSON.parse(decodeURIComponent(value));
    // The access cookie is ["<refresh token>", "<access token>"]: every element is a secret.
    const redacted = Array.isArray(parsed)
      ? parsed.map((item) => (typeof item === 'string' ? redactSecret(item) : item))
      : redactJson(parsed);
    if (typeof parsed === 'object' && parsed !== null) return encodeURIComponent(JSON.stringify(redacted));
  } catch {
    // a raw (legacy) token or a plain value
  }
  return redactSecret(value);
}

function redactHeaders(headers: HeaderPairs): HeaderPairs {
  return headers.map(([name, value]) => {
    const lower = name.toLowerCase();
    if (lower === 'authorization') {
      const [scheme, ...rest] = value.split(' ');
      return [
        name,
        rest.length > 0 ? `${scheme} ${fingerprint(rest.join(' '))}` : fingerprint(value),
      ] as const;
    }
    if (lower === 'cookie') {
      const cookies = value.split(';').map((part) => {
        const eq = part.indexOf('=');
        return eq <= 0
          ? part
          : `${part.slice(0, eq)}=${redactCookieValue(part.slice(0, eq).trim(), part.slice(eq + 1).trim())}`;
      });
      return [name, cookies.join(';')] as const;
    }
    if (isSecretHeader(lower)) return [name, redactSecret(value)] as const;
    return [name, redactSecretsInText(value)] as const;
  });
}

function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    for (const [name, value] of [...url.searchParams]) {
      if (isSecretKey(name)) url.searchParams.set(name, redactSecret(value));
    }
    return url.href;
  } catch {
    return redactSecretsInText(raw);
  }
}

const contentType = (headers: HeaderPairs) =>
  headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';

export function redactExchange(exchange: Exchange): Exchange {
  const { request, response } = exchange;
  return {
    ...exchange,
    request: {
      ...request,
      url: redactUrl(request.url),
      headers: redactHeaders(request.headers),
      body: redactBody(request.body, contentType(request.headers)),
    },
    response: response && {
      ...response,
      headers: redactHeaders(response.headers),
      body: redactBody(response.body, contentType(response.headers)),
    },
    ...(exchange.error ? { error: redactSecretsInText(exchange.error) } : {}),
    ...(exchange.cookieHeader
      ? { cookieHeader: redactHeaders([['cookie', exchange.cookieHeader]])[0]![1] }
      : {}),
  };
}

const redactStorage = (area: Readonly<Record<string, string>> | undefined) =>
  area && Object.fromEntries(Object.entries(area).map(([k, v]) => [k, fingerprint(v)]));

/** Cookies and storage values redacted; the traffic is left out (it was reported exchange by exchange). */
export function redactSnapshot(snapshot: BrowserSnapshot): BrowserSnapshot {
  const { exchanges: _traffic, ...rest } = snapshot;
  return {
    ...rest,
    cookies: snapshot.cookies.map((c: JarCookie) => ({ ...c, value: redactCookieValue(c.name, c.value) })),
    ...(snapshot.localStorage ? { localStorage: redactStorage(snapshot.localStorage) } : {}),
    ...(snapshot.sessionStorage ? { sessionStorage: redactStorage(snapshot.sessionStorage) } : {}),
    ...(snapshot.recentUrls ? { recentUrls: snapshot.recentUrls.map(redactUrl) } : {}),
  };
}
