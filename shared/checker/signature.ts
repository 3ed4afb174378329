import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import type { JsonWebKeySet } from './types.js';

/**
 * Token signatures: the one place that decides whether a signature is valid, invalid or not checked, for the
 * rules engine (proxy, probe, hub) and the Traffic detail alike. A source that lacks what the check needs — the
 * in-page dev tool removes signatures before reporting, a key set may be unreachable — gets "not checked", never
 * "invalid".
 */

/** What the in-page dev tool puts where a signature was: the claims stay readable, the token is unusable. */
export const REDACTED_SIGNATURE = 'signature-redacted';

/** `header.payload.signature-redacted`. */
export function withoutSignature(token: string): string {
  const parts = token.split('.');
  return parts.length === 3 ? `${parts[0]}.${parts[1]}.${REDACTED_SIGNATURE}` : token;
}

export function signatureRedacted(token: string): boolean {
  const parts = token.split('.');
  return parts.length === 3 && (parts[2] === REDACTED_SIGNATURE || parts[2] === '');
}

/** `code` of a verdict on something that is not a JWT at all (the sync rules report it as unparsable). */
export const NOT_A_JWT = 'ERR_NOT_A_JWT';

export type SignatureStatus = 'valid' | 'invalid' | 'not-checked';

export interface SignatureVerdict {
  readonly status: SignatureStatus;
  /** Why it is invalid or not checked, in plain words; null when valid. */
  readonly detail: string | null;
  /** The key id the token names, `(none)` when it names none. */
  readonly kid: string;
  /** jose's error code for an invalid signature (ERR_JWKS_NO_MATCHING_KEY, …). */
  readonly code?: string;
}

export const NOT_CHECKED_REDACTED =
  'The signature was removed before this exchange was reported (the in-page dev tool never sends a usable token); a source that sees the whole token — the capture proxy or the app window — verifies it.';
export const NOT_CHECKED_NO_JWKS =
  "The project's key set (JWKS) was not available, so the signature was not verified.";

/** Signature only (no time checks: an expired token is still genuinely signed). */
export async function verifySignature(
  token: string,
  jwks: JsonWebKeySet | null | undefined,
): Promise<SignatureVerdict> {
  let kid = '(none)';
  try {
    kid = String(decodeProtectedHeader(token).kid ?? '(none)');
  } catch {
    return { status: 'invalid', detail: 'Not a JWT: its header does not decode.', kid, code: NOT_A_JWT };
  }
  if (signatureRedacted(token)) return { status: 'not-checked', detail: NOT_CHECKED_REDACTED, kid };
  if (!jwks) return { status: 'not-checked', detail: NOT_CHECKED_NO_JWKS, kid };
  try {
    await compactVerify(token, createLocalJWKSet({ keys: jwks.keys as never[] }));
    return { status: 'valid', detail: null, kid };
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
        ? (error as { code: string }).code
        : '';
    return {
      status: 'invalid',
      detail: error instanceof Error ? error.message : String(error),
      kid,
      ...(code ? { code } : {}),
    };
  }
}
