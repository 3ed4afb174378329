import { Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import { startSession } from '../domain/sessions/index.js';
import { completeMfaSignIn } from '../domain/verification/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';
import { validBody } from '../wire/validate.js';
import { codeField } from './schemas/verification.js';

/**
 * `/auth/mfa/sign-in`: the second step of a sign-in answered MULTI_FACTOR_AUTHENTICATION_REQUIRED, with the
 * attempt code from that error and the user's current TOTP.
 */
export const mfaRoutes = new Hono<EmulatorEnv>();

const signInBody = z.strictObject({ code: codeField, type: z.literal('totp'), totp: z.string() });

mfaRoutes.post('/auth/mfa/sign-in', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, signInBody);
  const { ctx } = c.var;
  const result = await withTransaction(ctx.pool, async (tx) => {
    const { userId, isNewUser } = await completeMfaSignIn(tx, auth.tenancy, body.code, body.totp);
    const tokens = await startSession(
      { tokens: ctx.tokens, config: auth.tenancy.config },
      tx,
      auth.tenancy,
      userId,
    );
    return { userId, isNewUser, ...tokens };
  });
  return json(c, {
    refresh_token: result.refreshToken,
    access_token: result.accessToken,
    is_new_user: result.isNewUser,
    user_id: result.userId,
  });
});
