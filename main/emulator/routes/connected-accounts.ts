import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import { listConnectedAccounts, retrieveOrRefreshAccessToken } from '../domain/oauth/index.js';
import { findUser } from '../domain/users/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { type RequestAuth, requireAccess } from '../wire/smart-request.js';
import { validate, validBody } from '../wire/validate.js';

/**
 * `/connected-accounts/{user}`: the provider accounts a user connected, and an access token from the provider
 * for one of them (what `user.getConnectedAccount(…).getAccessToken()` calls). A client may use only `me`.
 */
export const connectedAccountRoutes = new Hono<EmulatorEnv>();

const accessTokenBody = z.object({ scope: z.string().optional() });

async function targetUser(c: Context<EmulatorEnv>, auth: RequestAuth, refusal: string): Promise<string> {
  const raw = c.req.param('userId');
  let userId: string;
  if (raw === 'me') {
    if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
    userId = auth.user.id;
  } else {
    userId = validate(c, 'params', z.object({ user_id: z.uuid() }), { user_id: raw }).user_id;
  }
  if (auth.type === 'client' && auth.user?.id !== userId) {
    throw new StatusError(403, refusal);
  }
  if (!(await findUser(c.var.ctx.pool, auth.tenancyId, userId))) throw knownError('USER_NOT_FOUND');
  return userId;
}

connectedAccountRoutes.get('/connected-accounts/:userId', async (c) => {
  const auth = requireAccess(c);
  const userId = await targetUser(c, auth, 'Client can only list connected accounts for their own user.');
  const accounts = await listConnectedAccounts(c.var.ctx.pool, auth.tenancyId, userId);
  return json(c, {
    items: accounts.map((a) => ({
      user_id: userId,
      provider: a.providerId,
      provider_account_id: a.providerAccountId,
    })),
    is_paginated: false,
  });
});

async function accessToken(c: Context<EmulatorEnv>, providerAccountId: string | null): Promise<Response> {
  const auth = requireAccess(c);
  const body = await validBody(c, accessTokenBody);
  const userId = await targetUser(c, auth, 'Client can only access its own connected accounts');
  const providerId = c.req.param('providerId') ?? '';
  const provider = auth.tenancy.config.auth.oauth.providers[providerId];
  if (!provider) throw knownError('OAUTH_PROVIDER_NOT_FOUND_OR_NOT_ENABLED');
  // Upstream refuses tokens minted under its shared OAuth apps unless STACK_ALLOW_SHARED_OAUTH_ACCESS_TOKENS is
  // true, which its development setup sets; the emulator is a development backend, so it allows them.
  const accounts = (await listConnectedAccounts(c.var.ctx.pool, auth.tenancyId, userId)).filter(
    (a) =>
      a.providerId === providerId &&
      (providerAccountId === null || a.providerAccountId === providerAccountId),
  );
  if (accounts.length === 0) throw knownError('OAUTH_CONNECTION_NOT_CONNECTED_TO_USER');
  const token = await withTransaction(c.var.ctx.pool, (tx) =>
    retrieveOrRefreshAccessToken(tx, c.var.ctx.identityProvider, {
      tenancyId: auth.tenancyId,
      clientId: provider.type ?? providerId,
      accountIds: accounts.map((a) => a.id),
      scope: body.scope,
    }),
  );
  return json(c, token, 201);
}

connectedAccountRoutes.post('/connected-accounts/:userId/:providerId/access-token', (c) =>
  accessToken(c, null),
);
connectedAccountRoutes.post('/connected-accounts/:userId/:providerId/:providerAccountId/access-token', (c) =>
  accessToken(c, c.req.param('providerAccountId') ?? ''),
);
