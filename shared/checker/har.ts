import { isSecretParamName, redactSecretsInText, redactValue } from '../redact.js';
import { entriesOf } from '../registry/index.js';
import { headerValue, isRecord, parseSetCookies, safeUrl } from './exchange.js';
import type { Attribution, Exchange, Finding, HeaderPairs } from './types.js';

/** Names whose values are secrets per the registry (both families), plus the generic credential headers. */
const SECRET_HEADERS = new Set([
  ...entriesOf('request-header')
    .concat(entriesOf('response-header'), entriesOf('sdk-auth-header'))
    .filter((e) => e.secret)
    .flatMap((e) => [e.old, ...(e.new ? [e.new] : [])]),
  'authorization',
  'proxy-authorization',
]);

/** A header whose whole value is a secret (registry `secret` flag, both families; Authorization, Cookie). */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADERS.has(lower) || lower === 'cookie' || lower === 'set-cookie';
}

export interface HarEntryExtras {
  readonly attribution?: Attribution;
  readonly findings?: readonly Finding[];
}

export interface HarOptions {
  /** Keep tokens, keys, passwords and cookie values (only with an explicit opt-in such as --har-unsafe). */
  readonly unsafe?: boolean;
  readonly creatorVersion?: string;
}

const isSecretParam = isSecretParamName;

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (!isRecord(value)) return typeof value === 'string' ? redactSecretsInText(value) : value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      typeof v === 'string' && isSecretParam(k) ? redactValue(v) : redactJson(v),
    ]),
  );
}

export function redactBody(body: string, contentType: string): string {
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(body);
    for (const [name, value] of [...params]) if (isSecretParam(name)) params.set(name, redactValue(value));
    return params.toString();
  }
  try {
    return JSON.stringify(redactJson(JSON.parse(body)));
  } catch {
    return redactSecretsInText(body);
  }
}

function redactCookieHeader(value: string): string {
  return value
    .split(';')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq <= 0 ? part : `${part.slice(0, eq)}=${redactValue(part.slice(eq + 1).trim())}`;
    })
    .join(';');
}

export function redactHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'cookie') return redactCookieHeader(value);
  if (lower === 'set-cookie') {
    const eq = value.indexOf('=');
    const semi = value.indexOf(';');
    const end = semi === -1 ? value.length : semi;
    return eq <= 0
      ? value
      : `${value.slice(0, eq + 1)}${redactValue(value.slice(eq + 1, end))}${value.slice(end)}`;
  }
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const [scheme, ...rest] = value.split(' ');
    return rest.length > 0 ? `${scheme} ${redactValue(rest.join(' '))}` : redactValue(value);
  }
  if (SECRET_HEADERS.has(lower)) return redactValue(value);
  return redactSecretsInText(value);
}

export function redactUrl(raw: string): string {
  const url = safeUrl(raw);
  if (!url) return redactSecretsInText(raw);
  for (const [name, value] of [...url.searchParams])
    if (isSecretParam(name)) url.searchParams.set(name, redactValue(value));
  return url.toString();
}

function redirectUrl(location: string, unsafe: boolean): string {
  return unsafe || location === '' ? location : redactUrl(location);
}

function harHeaders(headers: HeaderPairs, unsafe: boolean) {
  return headers.map(([name, value]) => ({ name, value: unsafe ? value : redactHeader(name, value) }));
}

function harEntry(exchange: Exchange, extras: HarEntryExtras, unsafe: boolean) {
  const { request, response } = exchange;
  const url = unsafe ? request.url : redactUrl(request.url);
  const reqType = headerValue(request.headers, 'content-type') ?? '';
  const resType = response ? (headerValue(response.headers, 'content-type') ?? '') : '';
  const body = (text: string | null | undefined, type: string) =>
    text == null ? undefined : unsafe ? text : redactBody(text, type);
  const requestBody = body(request.body, reqType);
  const responseBody = response ? body(response.body, resType) : undefined;
  const setCookies = response
    ? parseSetCookies(response.headers.filter(([n]) => n.toLowerCase() === 'set-cookie').map(([, v]) => v))
    : [];
  return {
    startedDateTime: new Date(exchange.startedAt).toISOString(),
    time: exchange.durationMs,
    request: {
      method: request.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: harHeaders(request.headers, unsafe),
      queryString: [...(safeUrl(url)?.searchParams ?? [])].map(([name, value]) => ({ name, value })),
      ...(requestBody !== undefined ? { postData: { mimeType: reqType, text: requestBody } } : {}),
      headersSize: -1,
      bodySize: request.body?.length ?? 0,
    },
    response: {
      status: response?.status ?? 0,
      statusText: response?.statusText ?? (exchange.error ? `(failed: ${exchange.error})` : ''),
      httpVersion: 'HTTP/1.1',
      cookies: setCookies.map((c) => ({
        name: c.name,
        value: unsafe ? c.value : redactValue(c.value),
        ...(c.path ? { path: c.path } : {}),
        ...(c.domain ? { domain: c.domain } : {}),
        ...(c.expires ? { expires: new Date(c.expires).toISOString() } : {}),
        httpOnly: c.httpOnly,
        secure: c.secure,
      })),
      headers: harHeaders(response?.headers ?? [], unsafe),
      content: {
        size: response?.body?.length ?? 0,
        mimeType: resType,
        ...(responseBody !== undefined ? { text: responseBody } : {}),
      },
      redirectURL: redirectUrl(response ? (headerValue(response.headers, 'location') ?? '') : '', unsafe),
      headersSize: -1,
      bodySize: response?.body?.length ?? 0,
    },
    cache: {},
    timings: { send: 0, wait: exchange.durationMs, receive: 0 },
    _hexclave: {
      exchangeId: exchange.id,
      ...(extras.attribution ? { clientFamily: extras.attribution.family } : {}),
      findings: (extras.findings ?? []).map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
      })),
    },
  };
}

export type Har = ReturnType<typeof toHar>;

/** HAR 1.2 of the exchanges; tokens, keys, passwords and cookie values are redacted unless `unsafe`. */
export function toHar(
  items: readonly { exchange: Exchange; extras?: HarEntryExtras }[],
  options: HarOptions = {},
) {
  return {
    log: {
      version: '1.2',
      creator: { name: 'hexclave-companion', version: options.creatorVersion ?? '0' },
      comment: options.unsafe
        ? 'UNSAFE: contains tokens, keys, passwords and cookie values.'
        : 'Tokens, keys, passwords and cookie values are redacted.',
      entries: items.map(({ exchange, extras }) => harEntry(exchange, extras ?? {}, options.unsafe === true)),
    },
  };
}
