import { Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import {
  accessTokenFor,
  endSession,
  findSession,
  findSessionById,
  listSessions,
  startSession,
} from '../domain/sessions/index.js';
import { findUser } from '../domain/users/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json, success } from '../wire/respond.js';
import { type RequestAuth, requireAccess, SERVER_ACCESS } from '../wire/smart-request.js';
import { validate, validBody, validQuery } from '../wire/validate.js';
import { readHeader, requestHeader } from '../wire/wire-headers.js';

/** `/auth/sessions`: start one for a user (server), list and end a user's sessions, refresh and end the current one. */
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

const userIdOrMe = z.union([z.literal('me'), z.uuid()]);

/** `me` is the caller; a client may only name itself (upstream's 403 wording). */
function sessionOwner(auth: RequestAuth, raw: string): string {
  const userId = raw === 'me' ? auth.user?.id : raw;
  if (!userId) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
  if (auth.type === 'client' && auth.user?.id !== userId) {
    if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
    throw new StatusError(403, 'Client can only list sessions for their own user.');
  }
  return userId;
}

sessionRoutes.get('/auth/sessions', async (c) => {
  const auth = requireAccess(c);
  const query = validQuery(c, z.strictObject({ user_id: userIdOrMe }));
  const userId = sessionOwner(auth, query.user_id);
  const sessions = await listSessions(c.var.ctx.pool, auth.tenancyId, userId, {
    includeImpersonations: auth.type === 'admin',
  });
  return json(c, {
    items: sessions.map((session) => ({
      id: session.id,
      user_id: session.userId,
      created_at: session.createdAtMillis,
      last_used_at: session.lastUsedAtMillis,
      is_impersonation: session.isImpersonation,
      is_current_session: session.id === auth.token?.refreshTokenId,
    })),
    is_paginated: false,
  });
});

// After `DELETE /auth/sessions/current`, which this would otherwise shadow.
sessionRoutes.delete('/auth/sessions/:id', async (c) => {
  const auth = requireAccess(c);
  const { id } = validate(c, 'params', z.object({ id: z.uuid() }), { id: c.req.param('id') });
  validQuery(c, z.strictObject({ user_id: userIdOrMe.optional() }));
  const { pool } = c.var.ctx;
  const session = await findSessionById(pool, auth.tenancyId, id);
  if (!session || (auth.type === 'client' && auth.user?.id !== session.userId)) {
    throw new StatusError(404, 'Session not found.');
  }
  if (session.id === auth.token?.refreshTokenId) throw knownError('CANNOT_DELETE_CURRENT_SESSION');
  await endSession(pool, auth.tenancyId, id);
  return success(c);
});
