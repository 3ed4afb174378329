import { Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import { endUserSessions } from '../domain/sessions/index.js';
import {
  checkPasswordPolicy,
  findAuthEmailChannel,
  findUser,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  setPassword,
} from '../domain/users/index.js';
import { findUsableCode, markCodeUsed, sendPasswordReset } from '../domain/verification/index.js';
import { knownError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json, success } from '../wire/respond.js';
import { type RequestAuth, requireAccess } from '../wire/smart-request.js';
import { validBody } from '../wire/validate.js';
import { urlField } from './schemas/fields.js';
import { codeField, codeIsValid } from './schemas/verification.js';

/** `/auth/password/send-reset-code`, `/reset` and `/reset/check-code`: forgotten passwords, through the mailbox. */
export const passwordResetRoutes = new Hono<EmulatorEnv>();

const sendBody = z.strictObject({ email: z.email(), callback_url: urlField });
const resetBody = z.strictObject({ code: codeField, password: z.string().max(PASSWORD_MAX_LENGTH) });
const checkBody = z.strictObject({ code: codeField });

function requirePasswordAuth(auth: RequestAuth): void {
  if (!auth.tenancy.config.auth.password.allowSignIn) throw knownError('PASSWORD_AUTHENTICATION_NOT_ENABLED');
}

passwordResetRoutes.post('/auth/password/send-reset-code', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, sendBody);
  requirePasswordAuth(auth);
  const { ctx } = c.var;
  // The answer is the same whether or not the address belongs to someone, so it reveals nothing. (Upstream also
  // waits a few seconds for unknown addresses, to hide the timing; a local emulator does not.)
  const channel = await findAuthEmailChannel(ctx.pool, auth.tenancyId, body.email);
  if (channel) {
    await sendPasswordReset(
      ctx.pool,
      ctx.mail,
      { tenancy: auth.tenancy, projectName: auth.project.displayName },
      { userId: channel.userId, email: body.email, callbackUrl: body.callback_url },
    );
  }
  return json(c, { success: 'maybe, only if user with e-mail exists' });
});

passwordResetRoutes.post('/auth/password/reset', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, resetBody);
  const { ctx } = c.var;
  const found = await findUsableCode(ctx.pool, auth.tenancy, 'PASSWORD_RESET', body.code);
  requirePasswordAuth(auth);
  checkPasswordPolicy(body.password);
  const userId = String(found.data.user_id);
  const passwordHash = await hashPassword(body.password);
  await withTransaction(ctx.pool, async (tx) => {
    await markCodeUsed(tx, auth.tenancy, found.id);
    // The user may have been deleted since the code was sent.
    if (!(await findUser(tx, auth.tenancyId, userId))) throw knownError('USER_NOT_FOUND');
    await setPassword(tx, auth.tenancyId, userId, passwordHash);
    // A new password ends every session, as a server setting one does.
    await endUserSessions(tx, auth.tenancyId, userId);
  });
  return success(c);
});

passwordResetRoutes.post('/auth/password/reset/check-code', async (c) => {
  const auth = requireAccess(c);
  const { code } = await validBody(c, checkBody);
  await findUsableCode(c.var.ctx.pool, auth.tenancy, 'PASSWORD_RESET', code);
  return codeIsValid(c);
});
