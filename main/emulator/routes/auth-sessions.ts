import { Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import { accessTokenFor, endSession, findSession, startSession } from '../domain/sessions/index.js';
import { findUser } from '../domain/users/index.js';
import { knownError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json, success } from '../wire/respond.js';
import { requireAccess, SERVER_ACCESS } from '../wire/smart-request.js';
import { validBody } from '../wire/validate.js';
import { readHeader, requestHeader } from '../wire/wire-headers.js';

/** `/auth/sessions`: start one for a user (server), refresh and end the current one. */
export const sessionRoutes = new Hono<EmulatorEnv>();

const YEAR_MILLIS = 365 * 24 * 60 * 60 * 1000;
const createBody = z.strictObject({
  user_id: z.union([z.literal('me'), z.uuid()]),
  // Upstream caps a session at 367 days and defaults to one year.
  expires_in_millis: z
    .number()
    .max(367 * 24 * 60 * 60 * 1000)
    .default(YEAR_MILLIS),
  is_impersonation: z.boolean().optional(),
});

sessionRoutes.post('/auth/sessions', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const body = await validBody(c, createBody);
  const userId = body.user_id === 'me' ? auth.user?.id : body.user_id;
  if (!userId) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
  const { ctx } = c.var;
  const tokens = await withTransaction(ctx.pool, async (tx) => {
    if (!(await findUser(tx, auth.tenancyId, userId))) throw knownError('USER_ID_DOES_NOT_EXIST', userId);
    return startSession({ tokens: ctx.tokens, config: auth.tenancy.config }, tx, auth.tenancy, userId, {
      expiresInMillis: body.expires_in_millis,
      isImpersonation: body.is_impersonation,
    });
  });
  return json(c, { refresh_token: tokens.refreshToken, access_token: tokens.accessToken });
});

sessionRoutes.post('/auth/sessions/current/refresh', async (c) => {
  const auth = requireAccess(c);
  const refreshToken = readHeader(c, 'header.refresh-token');
  if (!refreshToken) {
    throw knownError(
      'SCHEMA_ERROR',
      `Request validation failed on ${c.req.method} ${c.req.path}:\n  - headers.${requestHeader('header.refresh-token')} must be defined`,
    );
  }
  const { ctx } = c.var;
  const session = await findSession(ctx.pool, auth.projectId, refreshToken);
  const signer = { tokens: ctx.tokens, config: auth.tenancy.config };
  return json(c, { access_token: await accessTokenFor(signer, ctx.pool, session) });
});

sessionRoutes.delete('/auth/sessions/current', async (c) => {
  const auth = requireAccess(c);
  if (!auth.token) throw knownError('USER_AUTHENTICATION_REQUIRED');
  // A token without a session id predates sessions upstream; it is answered like an expired one.
  if (!auth.token.refreshTokenId)
    throw knownError('ACCESS_TOKEN_EXPIRED', null, auth.projectId, auth.token.userId, null);
  if (!(await endSession(c.var.ctx.pool, auth.tenancyId, auth.token.refreshTokenId))) {
    throw knownError('REFRESH_TOKEN_NOT_FOUND_OR_EXPIRED');
  }
  return success(c);
});
