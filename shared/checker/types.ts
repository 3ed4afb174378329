/**
 * Input and output shapes of the compatibility rules engine. Everything here is plain data so the same engine
 * runs in the CLI probe, the capture proxy and, later, the in-page dev tool.
 */

import type { ClientFamily } from '../registry/index.js';

/**
 * How bad a finding is. `not-checked` is not a problem at all: the rule needed data this source lacks (a
 * signature the in-page dev tool removed, a key set that could not be fetched), so it could say neither "pass"
 * nor "fail". It ranks below info and never makes a verdict worse.
 */
export type Severity = 'error' | 'warning' | 'info' | 'not-checked';

/** What the caller believes the backend is: `dual` serves both families, `legacy` only stack names. */
export type ExpectedMode = 'dual' | 'legacy' | 'unknown';

/** Header name/value pairs in wire order; repeated names (Set-Cookie) stay separate pairs. */
export type HeaderPairs = readonly (readonly [name: string, value: string])[];

export interface CapturedRequest {
  readonly method: string;
  /** Absolute URL, including the query string. */
  readonly url: string;
  readonly headers: HeaderPairs;
  /** Body as text (UTF-8); null when there was none or it was not captured. */
  readonly body?: string | null;
}

export interface CapturedResponse {
  readonly status: number;
  readonly statusText?: string;
  readonly headers: HeaderPairs;
  /** Decoded body as text; null when there was none or it was binary. */
  readonly body?: string | null;
}

/** One HTTP request and its response, as the probe, the proxy or the overlay saw it. */
export interface Exchange {
  readonly id: string;
  /** Epoch milliseconds when the request started. */
  readonly startedAt: number;
  readonly durationMs: number;
  readonly request: CapturedRequest;
  /** Null when the request never got an answer (network error, refused connection). */
  readonly response: CapturedResponse | null;
  readonly error?: string;
  /**
   * Set-Cookie lines the browser received, when the capturer sees them outside the headers (an in-page tool
   * cannot read Set-Cookie from fetch). Defaults to the response's set-cookie headers.
   */
  readonly setCookies?: readonly string[];
  /** Cookie header the browser sent, when not in the request headers. */
  readonly cookieHeader?: string;
  /** Cookies the browser refused to store or to send, with its reasons (only a CDP capturer sees them). */
  readonly blockedCookies?: readonly BlockedCookie[];
}

/** A cookie Chromium blocked: `response` = a Set-Cookie it did not store, `request` = a cookie it did not send. */
export interface BlockedCookie {
  readonly direction: 'request' | 'response';
  readonly name: string;
  /** Chromium's reasons, e.g. `SameSiteLax`, `SecureOnly`, `InvalidDomain`. */
  readonly reasons: readonly string[];
  /** The Set-Cookie line, for response cookies. */
  readonly line?: string;
}

/** A JSON Web Key Set as served at /.well-known/jwks.json. */
export interface JsonWebKeySet {
  readonly keys: readonly Record<string, unknown>[];
}

export interface CheckContext {
  /** The project the traffic belongs to; rules that need it stay silent without it. */
  readonly projectId?: string;
  readonly expectedMode: ExpectedMode;
  /** Base URLs a self-hosted or local backend signs issuers with (besides the hosted domains). */
  readonly apiBaseUrls?: readonly string[];
  /** The project's key set, for signature checks (async only). */
  readonly jwks?: JsonWebKeySet;
  /** Clock in epoch milliseconds; defaults to Date.now. */
  readonly now?: () => number;
  /** Allowed clock skew in seconds for token times (default 30). */
  readonly clockToleranceSec?: number;
}

/** The registry entry a finding is about, with both names, so a report can say exactly what broke. */
export interface FindingIdentifier {
  readonly id: string;
  readonly stack: string;
  readonly hexclave: string | null;
  /** Concrete names involved, when the entry is a template (`hexclave-oauth-inner-abc`). */
  readonly names?: readonly string[];
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly identifier: FindingIdentifier | null;
  /** One sentence in plain words: what is wrong. */
  readonly message: string;
  readonly expected: string;
  readonly actual: string;
  /** Where it was seen (request line, header values), secrets redacted. */
  readonly evidence: string;
  /** What breaks for a real app, in plain words (hazard rules). */
  readonly explanation?: string;
  readonly exchangeId?: string;
}

/** A cookie as a browser jar holds it (document.cookie only gives name and value; attributes are optional). */
export interface JarCookie {
  readonly name: string;
  /** Raw value as stored (js-cookie URL-encodes it). */
  readonly value: string;
  /** Domain attribute without the leading dot; absent for host-only cookies. */
  readonly domain?: string;
  readonly path?: string;
  readonly secure?: boolean;
  readonly httpOnly?: boolean;
  readonly sameSite?: string;
  /** Epoch milliseconds; null or absent for session cookies. */
  readonly expires?: number | null;
}

/** What a browser holds for one page: the input of the client-side hazard rules. */
export interface BrowserSnapshot {
  /** The page the snapshot was taken on (its protocol decides `__Host-` expectations). */
  readonly pageUrl?: string;
  readonly cookies: readonly JarCookie[];
  readonly localStorage?: Readonly<Record<string, string>>;
  readonly sessionStorage?: Readonly<Record<string, string>>;
  /** Recent page URLs (redirects, handler pages), newest last. */
  readonly recentUrls?: readonly string[];
  /** Element ids present in the page's DOM (dev-tool roots). */
  readonly domIds?: readonly string[];
  /** API traffic the page made recently. */
  readonly exchanges?: readonly Exchange[];
}

/** Which SDK family an exchange came from: request headers first, then what the session was seen with. */
export interface Attribution {
  readonly family: ClientFamily;
  /** `headers` when the request named it, `session` when inferred from a token seen earlier, `none`. */
  readonly source: 'headers' | 'session' | 'none';
  readonly clientVersion: string | null;
}
