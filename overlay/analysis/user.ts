import { tokensIn } from '../../shared/checker/rules/tokens.js';
import type { Exchange } from '../../shared/checker/types.js';
import { AUDIENCE_SUFFIX, checkIssuer } from '../../shared/registry/index.js';
import { decodeClaims, type TokenClaims } from './jwt.js';

/** An access token the page holds or sent, and where it was seen. */
export interface TokenSighting {
  readonly token: string;
  /** `cookie hexclave-access`, `request header x-stack-access-token`, … */
  readonly source: string;
  /** Epoch ms when it was seen (cookies: when the snapshot was taken). */
  readonly seenAt: number;
}

export interface SignedInUser {
  readonly id: string | null;
  readonly email: string | null;
  readonly name: string | null;
  readonly anonymous: boolean;
  readonly projectId: string | null;
  readonly issuer: string | null;
  readonly issuerVerdict: { readonly ok: boolean; readonly detail: string };
  /** Epoch ms, null when the token has no exp. */
  readonly expiresAt: number | null;
  readonly source: string;
}

function projectOf(claims: TokenClaims): string | null {
  if (typeof claims.project_id === 'string') return claims.project_id;
  const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  if (typeof aud !== 'string') return null;
  for (const suffix of Object.values(AUDIENCE_SUFFIX)) {
    if (suffix && aud.endsWith(suffix)) return aud.slice(0, -suffix.length);
  }
  return aud;
}

function verdict(claims: TokenClaims, projectId: string | null, apiBaseUrls: readonly string[]) {
  if (typeof claims.iss !== 'string') return { ok: false, detail: 'The token has no iss claim.' };
  if (!projectId) return { ok: false, detail: 'The token names no project (aud / project_id).' };
  const check = checkIssuer(claims.iss, projectId, apiBaseUrls);
  if (!check.ok) return { ok: false, detail: check.reason };
  const where =
    check.host === 'custom'
      ? 'this backend'
      : check.host === 'other'
        ? `${check.origin}, the origin the backend signs with (it is reached here under another one)`
        : `the ${check.host} domain`;
  return { ok: true, detail: `Accepted: ${check.kind} issuer of ${where}.` };
}

/** Access tokens an exchange carried: request headers of either family and issued ones in the response. */
export function tokenSightings(exchange: Exchange): TokenSighting[] {
  return tokensIn(exchange).map((found) => ({
    token: found.token,
    source: found.where,
    seenAt: exchange.startedAt,
  }));
}

/** The user of the newest token (by iat, then by when it was seen), with its issuer checked against the registry. */
export function signedInUser(
  sightings: readonly TokenSighting[],
  apiBaseUrls: readonly string[],
): SignedInUser | null {
  let best: { sighting: TokenSighting; claims: TokenClaims } | null = null;
  for (const sighting of sightings) {
    const claims = decodeClaims(sighting.token);
    if (!claims) continue;
    const rank = (c: TokenClaims, s: TokenSighting) => [c.iat ?? 0, s.seenAt] as const;
    if (!best) {
      best = { sighting, claims };
      continue;
    }
    const [iat, seen] = rank(claims, sighting);
    const [bestIat, bestSeen] = rank(best.claims, best.sighting);
    if (iat > bestIat || (iat === bestIat && seen > bestSeen)) best = { sighting, claims };
  }
  if (!best) return null;
  const { claims, sighting } = best;
  const projectId = projectOf(claims);
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return {
    id: text(claims.sub),
    email: text(claims.email),
    name: text(claims.name),
    anonymous: claims.is_anonymous === true,
    projectId,
    issuer: text(claims.iss),
    issuerVerdict: verdict(claims, projectId, apiBaseUrls),
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null,
    source: sighting.source,
  };
}

/** `4m 05s`, `expired 12s ago`. */
export function formatCountdown(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return 'no expiry';
  const seconds = Math.round((expiresAt - now) / 1000);
  const abs = Math.abs(seconds);
  const text = abs >= 60 ? `${Math.floor(abs / 60)}m ${String(abs % 60).padStart(2, '0')}s` : `${abs}s`;
  return seconds >= 0 ? `expires in ${text}` : `expired ${text} ago`;
}
