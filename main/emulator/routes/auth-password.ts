import { Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import { mfaRequiredError } from '../domain/mfa/index.js';
import { isTrustedRedirectUrl } from '../domain/projects/index.js';
import { startSession } from '../domain/sessions/index.js';
import {
  checkPasswordPolicy,
  findAuthUserByEmail,
  hashPassword,
  normalizeEmail,
  rethrowEmailTaken,
  signUpOrUpgrade,
  verifyPassword,
} from '../domain/users/index.js';
import { sendEmailVerification } from '../domain/verification/index.js';
import { knownError } from '../errors/index.js';
import { signUpCountryCode } from '../wire/end-user.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';
import { validBody } from '../wire/validate.js';

/** `/auth/password/sign-up` and `/sign-in`; reset is in auth-password-reset.ts, set and update in auth-password-change.ts. */
export const passwordRoutes = new Hono<EmulatorEnv>();

const signUpBody = z.looseObject({
  email: z.email(),
  password: z.string(),
  verification_callback_url: z.string().optional(),
});
const signInBody = z.looseObject({ email: z.string().min(1), password: z.string() });

// A real hash for unknown e-mails too, so a wrong address costs as long as a wrong password.
let decoyHash: Promise<string> | undefined;

passwordRoutes.post('/auth/password/sign-up', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, signUpBody);
  const { config } = auth.tenancy;
  // Upstream's order of checks.
  if (!config.auth.password.allowSignIn) throw knownError('PASSWORD_AUTHENTICATION_NOT_ENABLED');
  const callbackUrl = body.verification_callback_url;
  if (callbackUrl && !isTrustedRedirectUrl(callbackUrl, config))
    throw knownError('REDIRECT_URL_NOT_WHITELISTED');
  if (!config.auth.allowSignUp) throw knownError('SIGN_UP_NOT_ENABLED');
  checkPasswordPolicy(body.password);
  const email = normalizeEmail(body.email);
  const passwordHash = await hashPassword(body.password);
  const countryCode = signUpCountryCode(c);
  const write = {
    primaryEmail: email,
    primaryEmailAuthEnabled: true,
    passwordHash,
    ...(countryCode && { countryCode }),
  };
  const { ctx } = c.var;
  const tokens = await withTransaction(ctx.pool, async (tx) => {
    const userId = await signUpOrUpgrade(tx, auth.tenancy, auth.user, write).catch((error: unknown) =>
      rethrowEmailTaken(error, email),
    );
    return { userId, ...(await startSession({ tokens: ctx.tokens, config }, tx, auth.tenancy, userId)) };
  });
  // After the commit, so an e-mail never points at a user that was rolled back.
  if (callbackUrl) {
    await sendEmailVerification(
      ctx.pool,
      ctx.mail,
      { tenancy: auth.tenancy, projectName: auth.project.displayName },
      { userId: tokens.userId, email, callbackUrl },
    );
  }
  return json(c, {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    user_id: tokens.userId,
  });
});

passwordRoutes.post('/auth/password/sign-in', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, signInBody);
  if (!auth.tenancy.config.auth.password.allowSignIn) throw knownError('PASSWORD_AUTHENTICATION_NOT_ENABLED');
  const { ctx } = c.var;
  const found = await findAuthUserByEmail(ctx.pool, auth.tenancyId, normalizeEmail(body.email));
  if (!found?.passwordHash) {
    decoyHash ??= hashPassword('decoy password');
    await verifyPassword(body.password, await decoyHash);
    throw knownError('EMAIL_PASSWORD_MISMATCH');
  }
  if (!(await verifyPassword(body.password, found.passwordHash))) throw knownError('EMAIL_PASSWORD_MISMATCH');
  const mfaRequired = await mfaRequiredError(ctx.pool, auth.tenancy, found.userId, false);
  if (mfaRequired) throw mfaRequired;
  const tokens = await startSession(
    { tokens: ctx.tokens, config: auth.tenancy.config },
    ctx.pool,
    auth.tenancy,
    found.userId,
  );
  return json(c, {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    user_id: found.userId,
  });
});
