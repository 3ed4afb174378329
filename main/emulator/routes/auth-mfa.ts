import { Hono } from 'hono';
import { z } from 'zod';
import { completeMfaSignIn } from '../domain/mfa/index.js';
import { startSession } from '../domain/sessions/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';
import { validBody } from '../wire/validate.js';

/** `POST /auth/mfa/sign-in`: the second factor after MULTI_FACTOR_AUTHENTICATION_REQUIRED (see domain/mfa). */
export const mfaRoutes = new Hono<EmulatorEnv>();

const signInBody = z.object({ type: z.literal('totp'), totp: z.string(), code: z.string() });

mfaRoutes.post('/auth/mfa/sign-in', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, signInBody);
  const { ctx } = c.var;
  // Outside a transaction, so a wrong TOTP still counts as an attempt on the code (upstream's limit).
  const { userId, isNewUser } = await completeMfaSignIn(ctx.pool, auth.tenancy, body.code, body.totp);
  const tokens = await startSession(
    { tokens: ctx.tokens, config: auth.tenancy.config },
    ctx.pool,
    auth.tenancy,
    userId,
  );
  const result = { userId, isNewUser, ...tokens };
  return json(c, {
    refresh_token: result.refreshToken,
    access_token: result.accessToken,
    is_new_user: result.isNewUser,
    user_id: result.userId,
  });
});
