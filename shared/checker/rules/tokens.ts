import { decodeJwt, type JWTPayload } from 'jose';
import { AUDIENCE_SUFFIX, checkIssuer, type IssuerKind, identifier } from '../../registry/index.js';
import { headerRecord, isRecord, jsonBody, requestLine, safeUrl } from '../exchange.js';
import { type FindingInput, finding, identifierRef } from '../finding.js';
import { NOT_A_JWT, NOT_CHECKED_REDACTED, signatureRedacted, verifySignature } from '../signature.js';
import type { CheckContext, Exchange, Finding } from '../types.js';

const ACCESS_TOKEN_HEADER = identifier('header.access-token');
const AUDIENCE = identifier('jwt.audience');
const ISSUER_BY_KIND: Record<IssuerKind, string> = {
  normal: 'jwt.issuer',
  anonymous: 'jwt.issuer-anonymous',
  restricted: 'jwt.issuer-restricted',
};

/** An access token found in an exchange, and whether the backend just issued it (response) or it was sent. */
export interface FoundToken {
  readonly token: string;
  readonly where: string;
  readonly issued: boolean;
}

export function tokensIn(exchange: Exchange): FoundToken[] {
  const found: FoundToken[] = [];
  const request = headerRecord(exchange.request.headers);
  for (const name of [ACCESS_TOKEN_HEADER.old, ACCESS_TOKEN_HEADER.new!]) {
    const value = request[name];
    if (value) found.push({ token: value, where: `request header ${name}`, issued: false });
  }
  const body = jsonBody(exchange.response?.body);
  if (isRecord(body) && typeof body.access_token === 'string' && (exchange.response?.status ?? 0) < 300) {
    found.push({ token: body.access_token, where: 'response body access_token', issued: true });
  }
  return found;
}

function kindFromAudience(aud: string, projectId: string): IssuerKind | null {
  for (const kind of Object.keys(AUDIENCE_SUFFIX) as IssuerKind[]) {
    if (aud === `${projectId}${AUDIENCE_SUFFIX[kind]}`) return kind;
  }
  return null;
}

function baseUrls(exchange: Exchange, ctx: CheckContext): string[] {
  if (ctx.apiBaseUrls && ctx.apiBaseUrls.length > 0) return [...ctx.apiBaseUrls];
  const url = safeUrl(exchange.request.url);
  return url ? [url.origin] : [];
}

/** Claim checks that need no key: issuer variant, audience, subject, lifetimes and clock skew. */
function checkClaims(
  found: FoundToken,
  payload: JWTPayload,
  exchange: Exchange,
  ctx: CheckContext,
): Finding[] {
  const out: Finding[] = [];
  const evidence = `${requestLine(exchange)}; ${found.where}`;
  const push = (ruleId: string, input: Omit<FindingInput, 'evidence'>) =>
    out.push(finding(ruleId, { ...input, evidence }, exchange.id));
  const aud = typeof payload.aud === 'string' ? payload.aud : undefined;
  const projectId =
    ctx.projectId ??
    (typeof payload.project_id === 'string' ? payload.project_id : undefined) ??
    aud?.replace(/:(anon|restricted)$/, '');
  const now = (ctx.now ?? Date.now)() / 1000;
  const tolerance = ctx.clockToleranceSec ?? 30;

  if (ctx.projectId && typeof payload.project_id === 'string' && payload.project_id !== ctx.projectId) {
    push('token.project', {
      severity: 'error',
      identifier: null,
      message: `The token is for project ${payload.project_id}, not ${ctx.projectId}.`,
      expected: `project_id ${ctx.projectId}`,
      actual: `project_id ${payload.project_id}`,
    });
  }
  const audKind = aud && projectId ? kindFromAudience(aud, projectId) : null;
  if (!audKind) {
    push('token.audience', {
      severity: 'error',
      identifier: identifierRef(AUDIENCE),
      message: `The token's audience ${JSON.stringify(payload.aud)} is not ${projectId ?? '<projectId>'} (or its :anon / :restricted form).`,
      expected: `${projectId ?? '<projectId>'}, ${projectId ?? '<projectId>'}:anon or ${projectId ?? '<projectId>'}:restricted`,
      actual: JSON.stringify(payload.aud),
    });
  }
  if (typeof payload.iss !== 'string' || !projectId) {
    push('token.issuer', {
      severity: 'error',
      identifier: identifierRef(ISSUER_BY_KIND[audKind ?? 'normal']),
      message: 'The token has no issuer.',
      expected: 'an accepted issuer URL',
      actual: String(payload.iss),
    });
  } else {
    const issuer = checkIssuer(payload.iss, projectId, baseUrls(exchange, ctx));
    if (!issuer.ok) {
      push('token.issuer', {
        severity: 'error',
        identifier: identifierRef(ISSUER_BY_KIND[audKind ?? 'normal'], [payload.iss]),
        message: issuer.reason,
        expected: `an issuer path of a ${audKind ?? 'normal'} user of ${projectId}`,
        actual: payload.iss,
      });
    } else {
      if (issuer.host === 'other') {
        const reached = safeUrl(exchange.request.url)?.origin ?? '(unknown)';
        push('token.issuer-origin', {
          severity: 'info',
          identifier: identifierRef(ISSUER_BY_KIND[issuer.kind], [payload.iss]),
          message: `The backend signs its tokens with ${issuer.origin}; this exchange reached it at ${reached} (a proxy, tunnel or another hostname). The path and project are right, and the signature check decides whether the token is genuine.`,
          expected: `an issuer under a hosted domain or ${baseUrls(exchange, ctx).join(', ') || 'the backend URL'}, or any origin with a valid signature`,
          actual: payload.iss,
        });
      }
      if (audKind && issuer.kind !== audKind) {
        push('token.audience', {
          severity: 'error',
          identifier: identifierRef(AUDIENCE),
          message: `The issuer is for ${issuer.kind} users but the audience ${aud} says ${audKind}.`,
          expected: `audience ${projectId}${AUDIENCE_SUFFIX[issuer.kind]}`,
          actual: `audience ${aud}`,
        });
      }
    }
  }
  if (
    audKind &&
    typeof payload.is_anonymous === 'boolean' &&
    payload.is_anonymous !== (audKind === 'anonymous')
  ) {
    push('token.audience', {
      severity: 'error',
      identifier: identifierRef(AUDIENCE),
      message: `is_anonymous is ${payload.is_anonymous} but the audience is ${aud}.`,
      expected: payload.is_anonymous ? `${projectId}:anon` : `${projectId} or ${projectId}:restricted`,
      actual: String(aud),
    });
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    push('token.subject', {
      severity: 'error',
      identifier: null,
      message: 'The token has no subject (user id).',
      expected: 'sub = the user id',
      actual: String(payload.sub),
    });
  }
  const { iat, exp } = payload;
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp <= iat) {
    push('token.lifetime', {
      severity: typeof exp !== 'number' && typeof iat === 'number' ? 'warning' : 'error',
      identifier: null,
      message:
        typeof iat !== 'number'
          ? 'The token has no iat.'
          : typeof exp !== 'number'
            ? 'The token never expires (no exp).'
            : `The token expires (${exp}) before or when it is issued (${iat}).`,
      expected: 'iat < exp, both in seconds',
      actual: `iat ${String(iat)}, exp ${String(exp)}`,
    });
  }
  if (typeof iat === 'number' && (iat > now + tolerance || (found.issued && iat < now - tolerance))) {
    push('token.clock-skew', {
      severity: 'warning',
      identifier: null,
      message: `The token's iat is ${Math.round(iat - now)} s from this machine's clock (allowed ±${tolerance} s).`,
      expected: `iat within ±${tolerance} s of now${found.issued ? ' for a token issued just now' : ''}`,
      actual: `iat ${iat}, now ${Math.round(now)}`,
    });
  }
  if (!found.issued && typeof exp === 'number' && exp < now - tolerance) {
    push('token.expired', {
      severity: 'warning',
      identifier: identifierRef(ACCESS_TOKEN_HEADER),
      message: `The client sent an access token that expired ${Math.round(now - exp)} s ago.`,
      expected: 'a refreshed token (the SDK refreshes 20 s before exp)',
      actual: `exp ${exp}, now ${Math.round(now)}`,
    });
  }
  return out;
}

function unparsable(found: FoundToken, exchange: Exchange, error: unknown): Finding {
  return finding(
    'token.unparsable',
    {
      severity: 'error',
      identifier: identifierRef(ACCESS_TOKEN_HEADER),
      message: `The access token in the ${found.where} is not a decodable JWT.`,
      expected: 'a compact JWS (header.payload.signature)',
      actual: error instanceof Error ? error.message : String(error),
      evidence: `${requestLine(exchange)}; ${found.where}`,
    },
    exchange.id,
  );
}

/** Synchronous token checks for every access token in the exchange. */
export function checkTokenClaims(exchange: Exchange, ctx: CheckContext): Finding[] {
  return tokensIn(exchange).flatMap((found) => {
    try {
      return checkClaims(found, decodeJwt(found.token), exchange, ctx);
    } catch (error) {
      return [unparsable(found, exchange, error)];
    }
  });
}

function signatureNotChecked(found: FoundToken, exchange: Exchange, why: string): Finding {
  return finding(
    'token.signature',
    {
      severity: 'not-checked',
      identifier: null,
      message: `The signature of the token in the ${found.where} was not checked: ${why}`,
      expected: 'a signature by one of the keys at /.well-known/jwks.json',
      actual: 'not checked',
      evidence: `${requestLine(exchange)}; ${found.where}`,
    },
    exchange.id,
  );
}

/**
 * The signatures a source removed before reporting (the in-page dev tool's), known without a key set or an await:
 * what a synchronous judge of a reported exchange adds, so the signature reads "not checked" rather than nothing.
 */
export function checkRedactedSignatures(exchange: Exchange): Finding[] {
  return tokensIn(exchange)
    .filter((found) => signatureRedacted(found.token))
    .map((found) => signatureNotChecked(found, exchange, NOT_CHECKED_REDACTED));
}

/**
 * Signature check against the project's JWKS (jose, WebCrypto: runs in Node and browsers). A token whose signature
 * the source removed, or a missing key set, gives a `not-checked` finding: the data was not there, nothing failed.
 */
export async function checkTokenSignatures(exchange: Exchange, ctx: CheckContext): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const found of tokensIn(exchange)) {
    const verdict = await verifySignature(found.token, ctx.jwks);
    if (verdict.status === 'valid' || verdict.code === NOT_A_JWT) continue; // unparsable: the sync rule says so
    const evidence = `${requestLine(exchange)}; ${found.where}`;
    if (verdict.status === 'not-checked') {
      out.push(signatureNotChecked(found, exchange, verdict.detail!));
      continue;
    }
    out.push(
      finding(
        'token.signature',
        {
          severity: 'error',
          identifier: null,
          message:
            verdict.code === 'ERR_JWKS_NO_MATCHING_KEY'
              ? `No key with kid ${verdict.kid} in the project's JWKS signs the token in the ${found.where}.`
              : `The token in the ${found.where} does not verify against the project's JWKS (kid ${verdict.kid}).`,
          expected: 'a signature by one of the keys at /.well-known/jwks.json',
          actual: verdict.detail ?? 'invalid',
          evidence,
        },
        exchange.id,
      ),
    );
  }
  return out;
}
