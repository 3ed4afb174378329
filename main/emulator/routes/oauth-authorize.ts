import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { secureRandomString } from '../../../shared/encoding.js';
import { identifier } from '../../../shared/registry/index.js';
import { withTransaction } from '../db/index.js';
import {
  decodeMockCode,
  type OuterInfo,
  resolveOAuthClient,
  saveOuterInfo,
  signInWithIdentity,
  takeOuterInfo,
} from '../domain/oauth/index.js';
import { isTrustedRedirectUrl } from '../domain/projects/index.js';
import { type KnownError, knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { consumeInnerCookies, setInnerCookies } from '../wire/oauth-cookies.js';
import { json } from '../wire/respond.js';
import { validQuery } from '../wire/validate.js';
import { mockAuthorizeUrl } from './mock-idp.js';
import { urlField } from './schemas/fields.js';

export const oauthRoutes = new Hono<EmulatorEnv>();

const RESPONSE_MODE = identifier('param.response-mode');
/** Upstream's authorization-code lifetime in its OAuth model. */
const AUTHORIZATION_CODE_MINUTES = 3;

const authorizeQuery = z.looseObject({
  client_id: z.string(),
  client_secret: z.string(),
  redirect_uri: urlField,
  scope: z.string(),
  state: z.string(),
  grant_type: z.literal('authorization_code'),
  code_challenge: z.string(),
  code_challenge_method: z.string(),
  response_type: z.string(),
  type: z.enum(['authenticate', 'link']).default('authenticate'),
  token: z.string().default(''),
  error_redirect_url: urlField.optional(),
  error_redirect_uri: urlField.optional(),
  after_callback_redirect_url: urlField.optional(),
  provider_scope: z.string().optional(),
});

/** `hexclave_response_mode` wins over `stack_response_mode` in dual mode; legacy knows only the stack name. */
function responseMode(c: Context<EmulatorEnv>): 'json' | 'redirect' {
  const value =
    (c.var.ctx.compat === 'dual' ? c.req.query(RESPONSE_MODE.new!) : undefined) ??
    c.req.query(RESPONSE_MODE.old);
  if (value === undefined) return 'redirect';
  if (value === 'json' || value === 'redirect') return value;
  throw knownError(
    'SCHEMA_ERROR',
    `Request validation failed on GET ${c.req.path}:\n  - query.${RESPONSE_MODE.old}: must be "json" or "redirect"`,
  );
}

oauthRoutes.get('/auth/oauth/authorize/:provider', async (c) => {
  const ctx = c.var.ctx;
  const provider = c.req.param('provider');
  const query = validQuery(c, authorizeQuery);
  const mode = responseMode(c);
  const { config, ...tenancy } = await resolveOAuthClient(
    ctx.projects,
    query.client_id,
    query.client_secret,
    (projectId) => knownError('INVALID_PUBLISHABLE_CLIENT_KEY', projectId),
  );
  const providerConfig = config.auth.oauth.providers[provider];
  if (!providerConfig) throw knownError('OAUTH_PROVIDER_NOT_FOUND_OR_NOT_ENABLED');
  if (query.type === 'link' && !query.token)
    throw new StatusError(400, '?token= query parameter is required for link type');
  if (query.after_callback_redirect_url && !isTrustedRedirectUrl(query.after_callback_redirect_url, config))
    throw knownError('REDIRECT_URL_NOT_WHITELISTED');
  // The built-in provider grants no extra scopes; with upstream's shared keys none are available either.
  if (query.provider_scope && providerConfig.isShared)
    throw knownError('OAUTH_EXTRA_SCOPE_NOT_AVAILABLE_WITH_SHARED_OAUTH_KEYS');
  let projectUserId: string | null = null;
  if (query.token) {
    const token = await ctx.tokens.verify(query.token);
    if (token.projectId !== tenancy.projectId)
      throw new StatusError(403, 'The access token is not valid for this project');
    projectUserId = token.userId;
  }
  const innerState = secureRandomString();
  const info: OuterInfo = {
    ...tenancy,
    provider,
    redirectUri: query.redirect_uri.split('#')[0]!,
    scope: query.scope,
    state: query.state,
    codeChallenge: query.code_challenge,
    codeChallengeMethod: query.code_challenge_method,
    type: query.type,
    projectUserId,
    errorRedirectUrl: query.error_redirect_uri ?? query.error_redirect_url ?? null,
    afterCallbackRedirectUrl: query.after_callback_redirect_url ?? null,
    responseMode: mode,
  };
  await saveOuterInfo(ctx.pool, innerState, info);
  const location = mockAuthorizeUrl(ctx.apiUrl, provider, innerState);
  if (mode === 'json') return json(c, { location });
  setInnerCookies(c, innerState, ctx.compat);
  return c.redirect(location, 307);
});

function redirectOrThrow(
  c: Context<EmulatorEnv>,
  error: KnownError,
  errorRedirectUrl: string | null,
): Response {
  if (!errorRedirectUrl) throw error;
  const url = new URL(errorRedirectUrl);
  url.searchParams.set('errorCode', error.code);
  url.searchParams.set('message', error.message);
  url.searchParams.set('details', JSON.stringify(error.details ?? {}));
  return c.redirect(url.toString(), 307);
}

async function callback(c: Context<EmulatorEnv>): Promise<Response> {
  const ctx = c.var.ctx;
  const form = c.req.method === 'POST' ? Object.fromEntries(new URLSearchParams(await c.req.text())) : {};
  const params: Record<string, string | undefined> = { ...form, ...c.req.query() };
  const innerState = params.state ?? '';
  if (!consumeInnerCookies(c, innerState, ctx.compat)) {
    throw new StatusError(
      400,
      'Inner OAuth cookie not found. This is likely because you refreshed the page during the OAuth sign in process. Please try signing in again',
    );
  }
  const stored = await takeOuterInfo(ctx.pool, innerState);
  if (!stored) throw new StatusError(400, 'Invalid OAuth cookie. Please try signing in again.');
  const { info } = stored;
  if (stored.expired) throw knownError('OUTER_OAUTH_TIMEOUT');
  if (info.provider !== c.req.param('provider')) throw knownError('OAUTH_PROVIDER_NOT_FOUND_OR_NOT_ENABLED');
  if (params.error)
    return redirectOrThrow(c, knownError('OAUTH_PROVIDER_ACCESS_DENIED'), info.errorRedirectUrl);
  const identity = decodeMockCode(params.code ?? '');
  if (!identity) throw new StatusError(400, 'The identity provider returned no valid authorization code.');
  const code = secureRandomString();
  const found = await ctx.projects.lookup(info.projectId, info.branchId);
  if (!found?.tenancyId) throw knownError('INVALID_OAUTH_CLIENT_ID_OR_SECRET', info.projectId);
  const tenancy = { ...info, tenancyId: found.tenancyId, config: found.config };
  await withTransaction(ctx.pool, async (tx) => {
    const result = await signInWithIdentity(
      tx,
      tenancy,
      info.provider,
      identity,
      info.type === 'link' ? info.projectUserId : null,
    );
    await tx.query(
      `INSERT INTO "ProjectUserAuthorizationCode" ("tenancyId", "projectUserId", "authorizationCode", "redirectUri",
         "expiresAt", "codeChallenge", "codeChallengeMethod", "newUser", "afterCallbackRedirectUrl")
       VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5), $6, $7, $8, $9)`,
      [
        info.tenancyId,
        result.userId,
        code,
        info.redirectUri,
        AUTHORIZATION_CODE_MINUTES,
        info.codeChallenge,
        info.codeChallengeMethod,
        result.newUser,
        info.afterCallbackRedirectUrl,
      ],
    );
  });
  const target = new URL(info.redirectUri);
  target.searchParams.set('code', code);
  target.searchParams.set('state', info.state);
  return c.redirect(target.toString(), 307);
}

oauthRoutes.get('/auth/oauth/callback/:provider', callback);
oauthRoutes.post('/auth/oauth/callback/:provider', callback);
