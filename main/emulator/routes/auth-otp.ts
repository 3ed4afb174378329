import { Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import { mfaRequiredError } from '../domain/mfa/index.js';
import { startSession } from '../domain/sessions/index.js';
import { otpSignInUser, otpUserForEmail } from '../domain/users/index.js';
import { findUsableCode, markCodeUsed, sendSignInCode } from '../domain/verification/index.js';
import { StatusError } from '../errors/index.js';
import { signUpCountryCode } from '../wire/end-user.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { type RequestAuth, requireAccess } from '../wire/smart-request.js';
import { validBody } from '../wire/validate.js';
import { urlField } from './schemas/fields.js';
import { botChallengeFields, codeField, codeIsValid } from './schemas/verification.js';

/** `/auth/otp/*`: e-mailed sign-in codes (a magic link and a six-character OTP in one message). */
export const otpRoutes = new Hono<EmulatorEnv>();

const sendBody = z.strictObject({
  email: z.email().max(256),
  callback_url: urlField,
  ...botChallengeFields,
});
const codeBody = z.strictObject({ code: codeField });

function requireOtpEnabled(auth: RequestAuth): void {
  if (!auth.tenancy.config.auth.otp.allowSignIn) {
    throw new StatusError(403, 'OTP sign-in is not enabled for this project');
  }
}

otpRoutes.post('/auth/otp/send-sign-in-code', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, sendBody);
  requireOtpEnabled(auth);
  const { ctx } = c.var;
  await otpUserForEmail(ctx.pool, auth.tenancy, body.email);
  const { nonce } = await sendSignInCode(
    ctx.pool,
    ctx.mail,
    { tenancy: auth.tenancy, projectName: auth.project.displayName },
    { email: body.email, callbackUrl: body.callback_url, signUpCountryCode: signUpCountryCode(c) },
  );
  return json(c, { nonce });
});

otpRoutes.post('/auth/otp/sign-in', async (c) => {
  const auth = requireAccess(c);
  const { code } = await validBody(c, codeBody);
  const { ctx } = c.var;
  const found = await findUsableCode(ctx.pool, auth.tenancy, 'ONE_TIME_PASSWORD', code);
  const result = await withTransaction(ctx.pool, async (tx) => {
    await markCodeUsed(tx, auth.tenancy, found.id);
    const { userId, isNewUser } = await otpSignInUser(
      tx,
      auth.tenancy,
      String(found.method.email),
      auth.user,
      typeof found.data.sign_up_country_code === 'string' ? found.data.sign_up_country_code : null,
    );
    // The code is used and a new user made even when a second factor is due (the attempt code leads on).
    const mfaRequired = await mfaRequiredError(tx, auth.tenancy, userId, isNewUser);
    if (mfaRequired) return { signedIn: false as const, mfaRequired };
    const tokens = await startSession(
      { tokens: ctx.tokens, config: auth.tenancy.config },
      tx,
      auth.tenancy,
      userId,
    );
    return { signedIn: true as const, userId, isNewUser, ...tokens };
  });
  if (!result.signedIn) throw result.mfaRequired;
  return json(c, {
    refresh_token: result.refreshToken,
    access_token: result.accessToken,
    is_new_user: result.isNewUser,
    user_id: result.userId,
  });
});

otpRoutes.post('/auth/otp/sign-in/check-code', async (c) => {
  const auth = requireAccess(c);
  const { code } = await validBody(c, codeBody);
  await findUsableCode(c.var.ctx.pool, auth.tenancy, 'ONE_TIME_PASSWORD', code);
  return codeIsValid(c);
});
