import { base64ToUtf8 } from '../../shared/encoding.js';

/** Claims of an access token, read without verifying it (the panel shows what the SDK holds). */
export interface TokenClaims {
  readonly sub?: string;
  readonly iss?: string;
  readonly aud?: string | readonly string[];
  readonly exp?: number;
  readonly iat?: number;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly project_id?: string;
  readonly is_anonymous?: boolean;
  readonly [claim: string]: unknown;
}

const JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;

export function looksLikeJwt(value: string): boolean {
  return JWT.test(value);
}

/** The payload of a compact JWT, or null when it is not one. */
export function decodeClaims(token: string): TokenClaims | null {
  if (!looksLikeJwt(token)) return null;
  const payload = token.split('.')[1]!;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims: unknown = JSON.parse(base64ToUtf8(base64 + '='.repeat((4 - (base64.length % 4)) % 4)));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as TokenClaims)
      : null;
  } catch {
    return null;
  }
}

/** `header.payload.signature-redacted`: the claims stay readable, the token is no longer usable. */
export { withoutSignature } from '../../shared/checker/signature.js';
