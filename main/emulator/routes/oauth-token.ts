import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import { mfaRequiredError } from '../domain/mfa/index.js';
import { resolveOAuthClient } from '../domain/oauth/index.js';
import { accessTokenFor, findSession, startSession } from '../domain/sessions/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { validBody } from '../wire/validate.js';

export const oauthTokenRoutes = new Hono<EmulatorEnv>();

const tokenBody = z.looseObject({
  grant_type: z.enum(['authorization_code', 'refresh_token']),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  refresh_token: z.string().optional(),
  code: z.string().optional(),
  code_verifier: z.string().optional(),
  redirect_uri: z.string().optional(),
});

interface CodeRow {
  readonly userId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: string;
  readonly newUser: boolean;
  readonly afterCallbackRedirectUrl: string | null;
}

function pkceMatches(row: CodeRow, verifier: string | undefined): boolean {
  if (!verifier) return false;
  if (row.codeChallengeMethod === 'plain') return verifier === row.codeChallenge;
  return createHash('sha256').update(verifier).digest('base64url') === row.codeChallenge;
}

function tokenResponse(
  accessToken: string,
  refreshToken: string,
  ttl: number,
  newUser: boolean,
  after: string | null,
) {
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: ttl,
    refresh_token: refreshToken,
    scope: 'legacy',
    is_new_user: newUser,
    newUser,
    after_callback_redirect_url: after,
    afterCallbackRedirectUrl: after,
  };
}

/** Tokens must not be cached by anything in between (RFC 6749 §5.1), as upstream's OAuth server library answers. */
function noCache(response: Response): Response {
  response.headers.set('pragma', 'no-cache');
  return response;
}

/** `POST /auth/oauth/token`, form-encoded as the SDK's oauth4webapi sends it, with no x-stack-* headers. */
oauthTokenRoutes.post('/auth/oauth/token', async (c) => {
  const ctx = c.var.ctx;
  const body = await validBody(c, tokenBody);
  const tenancy = await resolveOAuthClient(ctx.projects, body.client_id, body.client_secret, () =>
    knownError('INVALID_OAUTH_CLIENT_ID_OR_SECRET', body.client_id ?? null),
  );
  const ttl = ctx.tokens.options.accessTokenTtlSeconds;
  if (body.grant_type === 'refresh_token') {
    if (!body.refresh_token) throw knownError('REFRESH_TOKEN_NOT_FOUND_OR_EXPIRED');
    const session = await findSession(ctx.pool, tenancy.projectId, body.refresh_token);
    const accessToken = await accessTokenFor(
      { tokens: ctx.tokens, config: tenancy.config },
      ctx.pool,
      session,
    );
    return noCache(json(c, tokenResponse(accessToken, body.refresh_token, ttl, false, null)));
  }
  const issued = await withTransaction(ctx.pool, async (tx) => {
    // Codes are single-use: deleting it is the claim.
    const { rows } = await tx.query<CodeRow>(
      `DELETE FROM "ProjectUserAuthorizationCode"
       WHERE "tenancyId" = $1 AND "authorizationCode" = $2 AND "expiresAt" > now()
       RETURNING "projectUserId" AS "userId", "redirectUri", "codeChallenge", "codeChallengeMethod", "newUser",
                 "afterCallbackRedirectUrl"`,
      [tenancy.tenancyId, body.code ?? ''],
    );
    const row = rows[0];
    if (!row || !pkceMatches(row, body.code_verifier)) throw knownError('INVALID_AUTHORIZATION_CODE');
    if ((body.redirect_uri ?? '').split('#')[0] !== row.redirectUri) {
      throw new StatusError(
        400,
        'Invalid redirect URI. Your redirect URI must be the same as the one used to get the authorization code.',
      );
    }
    // The code is spent either way; the MFA attempt must outlive this transaction, so it is thrown after it.
    const mfaRequired = await mfaRequiredError(tx, tenancy, row.userId, row.newUser);
    if (mfaRequired) return { mfaRequired };
    const signer = { tokens: ctx.tokens, config: tenancy.config };
    return { row, tokens: await startSession(signer, tx, tenancy, row.userId) };
  });
  if ('mfaRequired' in issued) throw issued.mfaRequired;
  return noCache(
    json(
      c,
      tokenResponse(
        issued.tokens.accessToken,
        issued.tokens.refreshToken,
        ttl,
        issued.row.newUser,
        issued.row.afterCallbackRedirectUrl,
      ),
    ),
  );
});
