import { base64ToUtf8, utf8ToBase64 } from '../encoding.js';
import { identifier } from './table.js';
import type { Family } from './types.js';

/** The auth JSON the SDK wraps in `Bearer <prefix><base64>` for the developer's own backend. */
export interface BearerAuth {
  readonly accessToken: string | null;
  readonly refreshToken: string | null;
}

export interface ParsedBearer {
  readonly family: Family;
  readonly prefix: string;
  readonly auth: BearerAuth;
}

export class BearerParseError extends Error {
  override readonly name = 'BearerParseError';
}

const ENTRY = identifier('bearer.prefix');
const STACK_PREFIX = ENTRY.old;
const HEXCLAVE_PREFIX = ENTRY.new!;

/** Emit as a new SDK does: `Bearer hexclave_<base64(JSON)>`; null when there is no token at all. */
export function formatBearer(auth: BearerAuth, family: Family = 'hexclave'): string | null {
  if (auth.accessToken === null && auth.refreshToken === null) return null;
  const prefix = family === 'hexclave' ? HEXCLAVE_PREFIX : STACK_PREFIX;
  const json = JSON.stringify({ accessToken: auth.accessToken, refreshToken: auth.refreshToken });
  return `Bearer ${prefix}${utf8ToBase64(json)}`;
}

function isTokenField(value: unknown): value is string | null | undefined {
  return value === null || value === undefined || typeof value === 'string';
}

/** Parse either prefix; every failure names what is wrong and what a valid value looks like. */
export function parseBearer(headerValue: string): ParsedBearer {
  const expected = `expected "Bearer ${HEXCLAVE_PREFIX}<base64 JSON>" (or the older "Bearer ${STACK_PREFIX}…")`;
  const match = /^Bearer\s+(.+)$/i.exec(headerValue.trim());
  if (!match) {
    throw new BearerParseError(`Authorization value is not a Bearer token: ${expected}.`);
  }
  const token = match[1]!;
  const family: Family | null = token.startsWith(HEXCLAVE_PREFIX)
    ? 'hexclave'
    : token.startsWith(STACK_PREFIX)
      ? 'stack'
      : null;
  if (family === null) {
    throw new BearerParseError(
      `Bearer token has no "${HEXCLAVE_PREFIX}" or "${STACK_PREFIX}" prefix: ${expected}. A bare JWT is an access token, not the SDK's auth value.`,
    );
  }
  const prefix = family === 'hexclave' ? HEXCLAVE_PREFIX : STACK_PREFIX;
  const payload = token.slice(prefix.length);
  if (payload === '') throw new BearerParseError(`Bearer token has an empty payload after "${prefix}".`);
  let json: string;
  try {
    json = base64ToUtf8(payload);
  } catch {
    throw new BearerParseError(
      `Bearer payload after "${prefix}" is not valid standard base64 of UTF-8 text.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new BearerParseError(`Bearer payload decodes to text that is not JSON: ${expected}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BearerParseError('Bearer payload must be a JSON object {accessToken, refreshToken}.');
  }
  const record = parsed as Record<string, unknown>;
  if (!isTokenField(record.accessToken) || !isTokenField(record.refreshToken)) {
    throw new BearerParseError('Bearer payload fields accessToken and refreshToken must be strings or null.');
  }
  return {
    family,
    prefix,
    auth: { accessToken: record.accessToken ?? null, refreshToken: record.refreshToken ?? null },
  };
}
