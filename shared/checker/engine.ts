import { findingKey } from './finding.js';
import { checkPage } from './hazards/page.js';
import { checkSessionCookies } from './hazards/session-cookies.js';
import { checkStorage } from './hazards/storage.js';
import { checkActualStatus } from './rules/actual-status.js';
import { checkClientHeaders, checkQueryParams, checkServerHazards } from './rules/client.js';
import { checkCookies } from './rules/cookies.js';
import { checkCors } from './rules/cors.js';
import { checkKnownError } from './rules/known-error.js';
import { checkNoResponse } from './rules/network.js';
import { checkDualResponseHeaders } from './rules/response-headers.js';
import { checkTokenClaims, checkTokenSignatures } from './rules/tokens.js';
import type { BrowserSnapshot, CheckContext, Exchange, Finding } from './types.js';

type ExchangeRule = (exchange: Exchange, ctx: CheckContext) => Finding[];

const EXCHANGE_RULES: readonly ExchangeRule[] = [
  checkClientHeaders,
  checkDualResponseHeaders,
  checkActualStatus,
  checkKnownError,
  checkCors,
  checkTokenClaims,
  checkCookies,
  checkQueryParams,
  checkServerHazards,
  checkNoResponse,
];

/** Every synchronous rule on one exchange: fast enough to run on each request a proxy forwards. */
export function checkExchange(exchange: Exchange, ctx: CheckContext): Finding[] {
  return EXCHANGE_RULES.flatMap((rule) => rule(exchange, ctx));
}

/** The synchronous rules plus token signature checks against `ctx.jwks`. */
export async function checkExchangeAsync(exchange: Exchange, ctx: CheckContext): Promise<Finding[]> {
  return [...checkExchange(exchange, ctx), ...(await checkTokenSignatures(exchange, ctx))];
}

/**
 * Client-side hazards of the SDK as shipped, from what a browser holds: cookie jar, storage, recent URLs, DOM
 * ids and recent traffic (used for correlation; run checkExchange on each exchange for the wire rules).
 */
export function checkSnapshot(snapshot: BrowserSnapshot, ctx: CheckContext): Finding[] {
  return [...checkSessionCookies(snapshot, ctx), ...checkStorage(snapshot), ...checkPage(snapshot)];
}

/** One finding per rule, identifier and message, however many exchanges showed it (the first one is kept). */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) if (!seen.has(findingKey(f))) seen.set(findingKey(f), f);
  return [...seen.values()];
}
