import { Hono } from 'hono';
import { accessTokenFor, endSession, findSession, startSession } from '../auth/sessions.js';
import type { EmulatorEnv } from '../context.js';
import { withTransaction } from '../db/transaction.js';
import { createUser } from '../users/mutations.js';
import { knownError } from '../wire/known-errors.js';
import { json, success } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';
import { readHeader, requestHeader } from '../wire/wire-headers.js';

export const sessionRoutes = new Hono<EmulatorEnv>();

sessionRoutes.post('/auth/anonymous/sign-up', async (c) => {
  const auth = requireAccess(c);
  const tenancy = { projectId: auth.projectId, branchId: auth.branchId, tenancyId: auth.tenancyId };
  const tokens = await withTransaction(c.var.ctx.pool, async (tx) => {
    const userId = await createUser(tx, tenancy, { isAnonymous: true });
    return { userId, ...(await startSession(c.var.ctx, tx, tenancy, userId)) };
  });
  return json(c, {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    user_id: tokens.userId,
  });
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
  const session = await findSession(c.var.ctx.pool, auth.projectId, refreshToken);
  return json(c, { access_token: await accessTokenFor(c.var.ctx, c.var.ctx.pool, session) });
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
