import { Hono } from 'hono';
import { z } from 'zod';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../auth/passwords.js';
import { startSession } from '../auth/sessions.js';
import type { EmulatorEnv } from '../context.js';
import { withTransaction } from '../db/transaction.js';
import { createUser, rethrowEmailTaken, updateUser } from '../users/mutations.js';
import { findAuthUserByEmail } from '../users/queries.js';
import { knownError } from '../wire/known-errors.js';
import { json } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';
import { validBody } from '../wire/validate.js';

export const passwordRoutes = new Hono<EmulatorEnv>();

const signUpBody = z.looseObject({
  email: z.email(),
  password: z.string(),
  verification_callback_url: z.string().optional(),
});
const signInBody = z.looseObject({ email: z.string(), password: z.string() });

/** Upstream normalizes e-mail addresses before storing and comparing them. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

// A real hash for unknown e-mails too, so a wrong address costs as long as a wrong password.
let decoyHash: Promise<string> | undefined;

passwordRoutes.post('/auth/password/sign-up', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, signUpBody);
  checkPasswordPolicy(body.password);
  const email = normalizeEmail(body.email);
  const passwordHash = await hashPassword(body.password);
  const tenancy = { projectId: auth.projectId, branchId: auth.branchId, tenancyId: auth.tenancyId };
  const write = { primaryEmail: email, primaryEmailAuthEnabled: true, passwordHash };
  const tokens = await withTransaction(c.var.ctx.pool, async (tx) => {
    let userId: string;
    try {
      // An anonymous caller is upgraded in place, keeping its id (upstream's sign-up semantics).
      if (auth.user?.isAnonymous) {
        userId = auth.user.id;
        await updateUser(tx, tenancy, userId, { ...write, isAnonymous: false });
        await tx.query(
          `UPDATE "ProjectUser" SET "signedUpAt" = now() WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
          [auth.tenancyId, userId],
        );
      } else {
        userId = await createUser(tx, tenancy, write);
      }
    } catch (error) {
      rethrowEmailTaken(error, email);
    }
    return { userId, ...(await startSession(c.var.ctx, tx, tenancy, userId)) };
  });
  return json(c, {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    user_id: tokens.userId,
  });
});

passwordRoutes.post('/auth/password/sign-in', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, signInBody);
  const found = await findAuthUserByEmail(c.var.ctx.pool, auth.tenancyId, normalizeEmail(body.email));
  if (!found?.passwordHash) {
    decoyHash ??= hashPassword('decoy password');
    await verifyPassword(body.password, await decoyHash);
    throw knownError('EMAIL_PASSWORD_MISMATCH');
  }
  if (!(await verifyPassword(body.password, found.passwordHash))) throw knownError('EMAIL_PASSWORD_MISMATCH');
  const tenancy = { projectId: auth.projectId, branchId: auth.branchId, tenancyId: auth.tenancyId };
  const tokens = await startSession(c.var.ctx, c.var.ctx.pool, tenancy, found.userId);
  return json(c, {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    user_id: found.userId,
  });
});
