import { parseSetCookie } from 'set-cookie-parser';
import { identifier } from '../registry/index.js';
import type { Exchange, HeaderPairs } from './types.js';

/** Lower-cased single-value view of header pairs; repeated names are joined with ", " as fetch does. */
export function headerRecord(headers: HeaderPairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  }
  return out;
}

export function headerValue(headers: HeaderPairs, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const values = headers.filter(([n]) => n.toLowerCase() === wanted).map(([, v]) => v);
  return values.length === 0 ? undefined : values.join(', ');
}

/** Comma-separated header list (Access-Control-Allow-Headers) as a lower-cased set. */
export function headerList(value: string | undefined): Set<string> {
  if (!value) return new Set();
  return new Set(
    value
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  );
}

export function toHeaderPairs(
  input: Headers | Record<string, string | readonly string[] | undefined>,
): HeaderPairs {
  const pairs: [string, string][] = [];
  if (typeof Headers !== 'undefined' && input instanceof Headers) {
    for (const cookie of input.getSetCookie()) pairs.push(['set-cookie', cookie]);
    input.forEach((value, name) => {
      if (name !== 'set-cookie') pairs.push([name, value]);
    });
    return pairs;
  }
  for (const [name, value] of Object.entries(
    input as Record<string, string | readonly string[] | undefined>,
  )) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value as string]) pairs.push([name, v]);
  }
  return pairs;
}

export interface SetCookie {
  readonly name: string;
  readonly value: string;
  readonly path?: string;
  readonly domain?: string;
  readonly maxAge?: number;
  /** Epoch milliseconds. */
  readonly expires?: number;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite?: string;
  readonly partitioned: boolean;
  /** The Set-Cookie line as received. */
  readonly raw: string;
}

export function parseSetCookies(lines: readonly string[]): SetCookie[] {
  return lines.flatMap((line) =>
    parseSetCookie(line, { decodeValues: false, silent: true }).map((c) => ({
      name: c.name,
      value: c.value,
      ...(c.path !== undefined ? { path: c.path } : {}),
      ...(c.domain !== undefined ? { domain: c.domain.replace(/^\./, '').toLowerCase() } : {}),
      ...(c.maxAge !== undefined ? { maxAge: c.maxAge } : {}),
      ...(c.expires !== undefined ? { expires: c.expires.getTime() } : {}),
      secure: c.secure === true,
      httpOnly: c.httpOnly === true,
      ...(c.sameSite !== undefined ? { sameSite: c.sameSite.toLowerCase() } : {}),
      partitioned: c.partitioned === true,
      raw: line,
    })),
  );
}

/** A Set-Cookie that removes the cookie rather than setting it. */
export function isDeletion(cookie: SetCookie, now: number): boolean {
  if (cookie.maxAge !== undefined) return cookie.maxAge <= 0;
  return cookie.expires !== undefined && cookie.expires <= now;
}

export function setCookiesOf(exchange: Exchange): SetCookie[] {
  const lines =
    exchange.setCookies ??
    (exchange.response?.headers ?? []).filter(([n]) => n.toLowerCase() === 'set-cookie').map(([, v]) => v);
  return parseSetCookies(lines);
}

/** Cookies the client sent, as name → value (first occurrence wins, as servers usually read them). */
export function sentCookiesOf(exchange: Exchange): Map<string, string> {
  const header = exchange.cookieHeader ?? headerValue(exchange.request.headers, 'cookie') ?? '';
  const out = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export function jsonBody(body: string | null | undefined): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

const ACTUAL_STATUS = identifier('header.actual-status');

/**
 * The status the SDK acts on: the SDKs ask for errors as HTTP 200 + actual-status (stack-protocol.md §2.4), read
 * hexclave first then stack, as 2.8.108 does. Null without a response.
 */
export function effectiveStatus(exchange: Exchange): number | null {
  const response = exchange.response;
  if (!response) return null;
  const actual = actualStatusOf(response.headers);
  return actual ?? response.status;
}

/** The actual-status header's value as a number, or null when absent or not a status. */
export function actualStatusOf(headers: HeaderPairs): number | null {
  const raw = headerValue(headers, ACTUAL_STATUS.new!) ?? headerValue(headers, ACTUAL_STATUS.old);
  const code = raw === undefined ? Number.NaN : Number(raw.split(',')[0]!.trim());
  return Number.isInteger(code) && code >= 100 && code <= 599 ? code : null;
}

export function isPreflight(exchange: Exchange): boolean {
  return (
    exchange.request.method.toUpperCase() === 'OPTIONS' &&
    headerValue(exchange.request.headers, 'access-control-request-method') !== undefined
  );
}

/** `GET /api/v1/users/me → 200`, the short request line used in evidence and logs. */
export function requestLine(exchange: Exchange): string {
  const url = safeUrl(exchange.request.url);
  const path = url ? `${url.pathname}${url.search ? '?…' : ''}` : exchange.request.url;
  const actual = exchange.response ? actualStatusOf(exchange.response.headers) : null;
  const status = exchange.response
    ? actual !== null
      ? `${actual} (HTTP ${exchange.response.status})`
      : String(exchange.response.status)
    : 'no response';
  return `${exchange.request.method.toUpperCase()} ${path} → ${status}`;
}
