import type { JWTPayload } from 'jose';
import { z } from 'zod';
import type { JsonWebKeySet } from './checker/index.js';
import { identifier, parseBearer } from './registry/index.js';

/** Token helpers shared by the MCP decode_token tool and the Traffic screen: pasted value → JWT, times in words, JWKS. */

export const CLOCK_TOLERANCE_SEC = 30;
export const JWKS_TIMEOUT_MS = 5000;

export interface TokenTimes {
  now: string;
  issuedAt: string | null;
  expiresAt: string | null;
  notBefore: string | null;
  secondsUntilExpiry: number | null;
  state: 'valid' | 'expired' | 'not-yet-valid' | 'no-expiry';
  skewSeconds: number | null;
  explanation: string;
}

export class TokenInputError extends Error {
  override readonly name = 'TokenInputError';
}

/** The JWT inside whatever the user pasted: a bare token, `Bearer <jwt>`, or the SDK's prefixed auth JSON. */
export function extractJwt(input: string): string {
  const trimmed = input.trim();
  const prefixes = [identifier('bearer.prefix').new!, identifier('bearer.prefix').old];
  const bearer = /^Bearer\s+(.+)$/i.exec(trimmed);
  if (bearer && prefixes.some((p) => bearer[1]!.startsWith(p))) {
    const accessToken = parseBearer(trimmed).auth.accessToken;
    if (!accessToken)
      throw new TokenInputError('The Bearer value carries no access token (only a refresh token).');
    return accessToken;
  }
  return bearer ? bearer[1]!.trim() : trimmed;
}

const iso = (seconds: unknown) =>
  typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;

function humanDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

export function explainTimes(claims: JWTPayload, nowSec: number): TokenTimes {
  const { iat, exp, nbf } = claims;
  // `|| 0` turns Math.round's -0 into 0, which JSON cannot tell apart anyway.
  const secondsUntilExpiry = typeof exp === 'number' ? Math.round(exp - nowSec) || 0 : null;
  const skewSeconds = typeof iat === 'number' ? Math.round(iat - nowSec) || 0 : null;
  const notYet = typeof nbf === 'number' && nbf > nowSec + CLOCK_TOLERANCE_SEC;
  const state =
    secondsUntilExpiry === null
      ? 'no-expiry'
      : notYet
        ? 'not-yet-valid'
        : secondsUntilExpiry < -CLOCK_TOLERANCE_SEC
          ? 'expired'
          : 'valid';
  const parts: string[] = [];
  if (secondsUntilExpiry === null)
    parts.push('The token has no exp claim, so it never expires; the SDK rejects such tokens.');
  else if (secondsUntilExpiry >= 0) parts.push(`Expires in ${humanDuration(secondsUntilExpiry)}.`);
  else if (state === 'valid')
    parts.push(
      `Expired ${humanDuration(secondsUntilExpiry)} ago, but within the ±${CLOCK_TOLERANCE_SEC} s clock tolerance.`,
    );
  else
    parts.push(
      `Expired ${humanDuration(secondsUntilExpiry)} ago: the backend answers ACCESS_TOKEN_EXPIRED and the SDK refreshes it (it does so 20 s before exp).`,
    );
  if (skewSeconds !== null && skewSeconds > CLOCK_TOLERANCE_SEC) {
    parts.push(
      `Issued ${humanDuration(skewSeconds)} in the future: this machine's clock is behind the backend's by more than the ±${CLOCK_TOLERANCE_SEC} s tolerance, so verifiers may reject it.`,
    );
  } else if (skewSeconds !== null && typeof exp === 'number' && typeof iat === 'number') {
    parts.push(`Lifetime ${humanDuration(exp - iat)} (upstream's default is 10 min).`);
  }
  if (notYet) parts.push(`Not valid before ${iso(nbf)}.`);
  return {
    now: new Date(nowSec * 1000).toISOString(),
    issuedAt: iso(iat),
    expiresAt: iso(exp),
    notBefore: iso(nbf),
    secondsUntilExpiry,
    state,
    skewSeconds,
    explanation: parts.join(' '),
  };
}

const JwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

export async function fetchJwks(url: string): Promise<JsonWebKeySet> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(JWKS_TIMEOUT_MS),
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  const parsed = JwksSchema.safeParse(await response.json());
  if (!parsed.success) throw new Error('the response is not a JSON Web Key Set ({"keys": [...]})');
  return parsed.data;
}

export function networkReason(error: unknown): string {
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (error instanceof Error && error.name === 'TimeoutError')
    return `no answer within ${JWKS_TIMEOUT_MS} ms`;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
