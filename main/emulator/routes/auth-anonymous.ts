import { Hono } from 'hono';
import { withTransaction } from '../db/index.js';
import { startSession } from '../domain/sessions/index.js';
import { createUserWithDefaults } from '../domain/users/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';

/** `POST /auth/anonymous/sign-up`: allowed even when sign-up is disabled, as upstream allows it. */
export const anonymousRoutes = new Hono<EmulatorEnv>();

anonymousRoutes.post('/auth/anonymous/sign-up', async (c) => {
  const auth = requireAccess(c);
  const { ctx } = c.var;
  const tokens = await withTransaction(ctx.pool, async (tx) => {
    const userId = await createUserWithDefaults(tx, auth.tenancy, { isAnonymous: true });
    return {
      userId,
      ...(await startSession({ tokens: ctx.tokens, config: auth.tenancy.config }, tx, auth.tenancy, userId)),
    };
  });
  return json(c, {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    user_id: tokens.userId,
  });
});
