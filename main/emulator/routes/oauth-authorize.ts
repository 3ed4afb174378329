import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { secureRandomString } from '../../../shared/encoding.js';
import { identifier } from '../../../shared/registry/index.js';
import { withTransaction } from '../db/index.js';
import {
  completeProviderCallback,
  deleteOuterInfo,
  generateCodeVerifier,
  type OuterInfo,
  providerAuthorizationUrl,
  readOuterInfo,
  resolveOAuthClient,
  saveOuterInfo,
  signInWithProviderIdentity,
  storeProviderTokens,
} from '../domain/oauth/index.js';
import { isTrustedRedirectUrl, type Tenancy } from '../domain/projects/index.js';
import { KnownError, knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { consumeInnerCookies, setInnerCookies } from '../wire/oauth-cookies.js';
import { json } from '../wire/respond.js';
import { validQuery } from '../wire/validate.js';
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

/** The inner flow's callback URL for a provider: where the identity provider sends the browser back. */
const callbackUrl = (publicUrl: string, provider: string) =>
  `${publicUrl}/api/v1/auth/oauth/callback/${encodeURIComponent(provider)}`;

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
  // With upstream's shared keys no extra scopes are available.
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
  const innerCodeVerifier = generateCodeVerifier();
  const location = await providerAuthorizationUrl(ctx.identityProvider, {
    // Upstream's mock provider knows a client per provider type; a project's provider id may differ from it.
    clientId: providerConfig.type ?? provider,
    redirectUri: callbackUrl(ctx.publicUrl, provider),
    codeVerifier: innerCodeVerifier,
    state: innerState,
    extraScope: query.provider_scope,
  });
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
    publishableClientKey: query.client_secret,
    innerCodeVerifier,
    providerScope: query.provider_scope ?? null,
  };
  await saveOuterInfo(ctx.pool, innerState, info);
  // In json mode the SDK drives the flow itself and PKCE protects it, so there is no CSRF cookie (upstream).
  if (mode === 'json') return json(c, { location });
  setInnerCookies(c, innerState, ctx.compat);
  return c.redirect(location, 307);
});

/**
 * Upstream's redirectOrThrowError: a known error goes to the client's redirect URI (or else its error redirect
 * URL) when that URL is trusted, with the error in the query; otherwise it is answered as it is.
 */
function redirectOrThrow(
  c: Context<EmulatorEnv>,
  error: KnownError,
  info: OuterInfo,
  tenancy: Tenancy,
): Response {
  const target = [info.redirectUri, info.errorRedirectUrl].find(
    (candidate) => candidate && isTrustedRedirectUrl(candidate, tenancy.config),
  );
  if (!target) throw error;
  const url = new URL(target);
  url.searchParams.set('error', 'server_error');
  url.searchParams.set('error_description', error.message);
  url.searchParams.set('errorCode', error.code);
  url.searchParams.set('message', error.message);
  url.searchParams.set('details', JSON.stringify(error.details ?? {}));
  return c.redirect(url.toString(), 307);
}

async function callback(c: Context<EmulatorEnv>): Promise<Response> {
  const ctx = c.var.ctx;
  const form = c.req.method === 'POST' ? new URLSearchParams(await c.req.text()) : new URLSearchParams();
  const params = new URLSearchParams([...form, ...new URL(c.req.url).searchParams]);
  const innerState = params.get('state') ?? '';
  const stored = await readOuterInfo(ctx.pool, innerState);
  if (!stored) throw new StatusError(400, 'Invalid OAuth state. Please try signing in again.');
  const { info } = stored;
  if (info.responseMode !== 'json' && !consumeInnerCookies(c, innerState, ctx.compat)) {
    throw new StatusError(
      400,
      'Inner OAuth cookie not found. This is likely because you refreshed the page during the OAuth sign in process. Please try signing in again',
    );
  }
  if (!(await deleteOuterInfo(ctx.pool, innerState)))
    throw new StatusError(400, 'Invalid OAuth state. Please try signing in again.');
  const found = await ctx.projects.lookup(info.projectId, info.branchId);
  if (!found?.tenancyId) throw new StatusError(400, 'The project of this OAuth flow no longer exists.');
  const tenancy: Tenancy = { ...info, tenancyId: found.tenancyId, config: found.config };
  try {
    if (stored.expired) throw knownError('OUTER_OAUTH_TIMEOUT');
    const providerConfig = tenancy.config.auth.oauth.providers[info.provider];
    if (info.provider !== c.req.param('provider') || !providerConfig)
      throw knownError('OAUTH_PROVIDER_NOT_FOUND_OR_NOT_ENABLED');
    // The key the flow started with must still be valid (upstream checks it again here).
    await resolveOAuthClient(
      ctx.projects,
      `${info.projectId}#${info.branchId}`,
      info.publishableClientKey,
      (projectId) => knownError('INVALID_PUBLISHABLE_CLIENT_KEY', projectId),
    );
    const { identity, tokens } = await completeProviderCallback(
      ctx.identityProvider,
      {
        clientId: providerConfig.type ?? info.provider,
        redirectUri: callbackUrl(ctx.publicUrl, info.provider),
        codeVerifier: info.innerCodeVerifier,
        state: innerState,
      },
      params,
    );
    const code = secureRandomString();
    await withTransaction(ctx.pool, async (tx) => {
      const result = await signInWithProviderIdentity(tx, tenancy, info.provider, identity, info);
      await storeProviderTokens(
        tx,
        info.tenancyId,
        { userId: result.userId, providerId: info.provider, providerAccountId: identity.accountId },
        tokens,
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
    // Upstream answers through its OAuth server library: a 302 turned into 303, with an empty JSON body.
    // c.body keeps the Set-Cookie headers that clear the inner cookies.
    return c.body('{}', 303, {
      location: target.toString(),
      'content-type': 'application/json; charset=utf-8',
    });
  } catch (error) {
    if (error instanceof KnownError) return redirectOrThrow(c, error, info, tenancy);
    throw error;
  }
}

oauthRoutes.get('/auth/oauth/callback/:provider', callback);
oauthRoutes.post('/auth/oauth/callback/:provider', callback);
