import { decodeBase32, encodeBase32 } from '../encoding.js';
import { entriesOf } from './table.js';
import { fillTemplate, matchTemplate } from './template.js';
import type { Family, IdentifierEntry } from './types.js';

const COOKIES = entriesOf('cookie');
const SECURE_PREFIX = '__Host-';

/** Cookie kinds are the registry ids without the `cookie.` prefix: `access`, `refresh-default`, … */
export type CookieKind = string;

export interface CookieNameSpec {
  readonly kind: CookieKind;
  readonly family: Family;
  readonly projectId?: string;
  /** Parent domain for `refresh-custom`; encoded as Crockford base32 of its lower-cased form. */
  readonly domain?: string;
  readonly state?: string;
  /** True on https pages: names that allow it take the `__Host-` prefix. */
  readonly secure?: boolean;
}

export interface ParsedCookieName {
  readonly entryId: string;
  readonly kind: CookieKind;
  readonly family: Family;
  readonly securePrefix: boolean;
  readonly projectId?: string;
  readonly encodedDomain?: string;
  /** The decoded parent domain of a custom-domain refresh cookie. */
  readonly customDomain?: string;
  readonly state?: string;
}

function literalLength(template: string): number {
  return template.replace(/\{\w+\}/g, '').length;
}

// Most specific first, so `stack-refresh-p--default` is a default refresh cookie, not a legacy one.
const BY_SPECIFICITY = [...COOKIES].sort((a, b) => literalLength(b.old) - literalLength(a.old));

function cookieEntry(kind: CookieKind): IdentifierEntry {
  const entry = COOKIES.find((e) => e.id === `cookie.${kind}`);
  if (!entry) {
    const known = COOKIES.map((e) => e.id.slice('cookie.'.length)).join(', ');
    throw new Error(`Unknown cookie kind "${kind}". Known kinds: ${known}.`);
  }
  return entry;
}

export function encodeCookieDomain(domain: string): string {
  return encodeBase32(new TextEncoder().encode(domain.toLowerCase()));
}

export function decodeCookieDomain(encoded: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(decodeBase32(encoded));
  } catch {
    return null;
  }
}

/** Build a cookie name of either family; throws with the missing parameter or for a family the kind lacks. */
export function buildCookieName(spec: CookieNameSpec): string {
  const entry = cookieEntry(spec.kind);
  const template = spec.family === 'stack' ? entry.old : entry.new;
  if (template === null) {
    throw new Error(`Cookie "${entry.old}" has no hexclave twin (policy: ${entry.policy}).`);
  }
  const params: Record<string, string> = {};
  if (spec.projectId !== undefined) params.projectId = spec.projectId;
  if (spec.domain !== undefined) params.encodedDomain = encodeCookieDomain(spec.domain);
  if (spec.state !== undefined) params.state = spec.state;
  const name = fillTemplate(template, params);
  return spec.secure && entry.securePrefix ? `${entry.securePrefix}${name}` : name;
}

function parseAgainst(entry: IdentifierEntry, name: string, securePrefix: boolean): ParsedCookieName | null {
  for (const family of ['hexclave', 'stack'] as const) {
    const template = family === 'stack' ? entry.old : entry.new;
    if (template === null) continue;
    const params = matchTemplate(template, name);
    if (!params) continue;
    const kind = entry.id.slice('cookie.'.length);
    const customDomain = params.encodedDomain ? decodeCookieDomain(params.encodedDomain) : null;
    return {
      entryId: entry.id,
      kind,
      family,
      securePrefix,
      ...(params.projectId ? { projectId: params.projectId } : {}),
      ...(params.encodedDomain ? { encodedDomain: params.encodedDomain } : {}),
      ...(customDomain ? { customDomain } : {}),
      ...(params.state ? { state: params.state } : {}),
    };
  }
  return null;
}

/** Recognise a Stack/Hexclave cookie name of either family; null for cookies the rename does not know. */
export function parseCookieName(name: string): ParsedCookieName | null {
  for (const entry of BY_SPECIFICITY) {
    const parsed = parseAgainst(entry, name, false);
    if (parsed) return parsed;
  }
  if (name.startsWith(SECURE_PREFIX)) {
    const bare = name.slice(SECURE_PREFIX.length);
    for (const entry of BY_SPECIFICITY.filter((e) => e.securePrefix)) {
      const parsed = parseAgainst(entry, bare, true);
      if (parsed) return parsed;
    }
  }
  return null;
}

/** The same cookie in the other family (`stack-access` ↔ `hexclave-access`), or null when it has no twin. */
export function cookieTwinName(name: string): string | null {
  const parsed = parseCookieName(name);
  if (!parsed) return null;
  const entry = cookieEntry(parsed.kind);
  if (entry.new === null) return null;
  return buildCookieName({
    kind: parsed.kind,
    family: parsed.family === 'stack' ? 'hexclave' : 'stack',
    ...(parsed.projectId ? { projectId: parsed.projectId } : {}),
    ...(parsed.customDomain ? { domain: parsed.customDomain } : {}),
    ...(parsed.state ? { state: parsed.state } : {}),
    secure: parsed.securePrefix,
  });
}
