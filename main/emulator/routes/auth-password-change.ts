import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import { endUserSessions } from '../domain/sessions/index.js';
import {
  checkPasswordPolicy,
  findPasswordHash,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  setPassword,
  type UserRecord,
  verifyPassword,
} from '../domain/users/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { success } from '../wire/respond.js';
import { type RequestAuth, requireAccess } from '../wire/smart-request.js';
import { schemaError, validBody } from '../wire/validate.js';
import { readHeader } from '../wire/wire-headers.js';

/** `/auth/password/set` and `/update`: the signed-in user adds or changes its own password. */
export const passwordChangeRoutes = new Hono<EmulatorEnv>();

/** Upstream's passwordSchema: at most 70 characters at the schema level; the policy check comes after. */
const password = z.string().max(PASSWORD_MAX_LENGTH);
const setBody = z.strictObject({ password });
const updateBody = z.strictObject({ old_password: password, new_password: password });

function signedInUser(c: Context<EmulatorEnv>, auth: RequestAuth): UserRecord {
  if (!auth.user) throw schemaError(c, ['auth.user must be defined']);
  if (!auth.tenancy.config.auth.password.allowSignIn) throw knownError('PASSWORD_AUTHENTICATION_NOT_ENABLED');
  return auth.user;
}

passwordChangeRoutes.post('/auth/password/set', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, setBody);
  const user = signedInUser(c, auth);
  checkPasswordPolicy(body.password);
  if (user.hasPassword) throw new StatusError(400, 'User already has a password set.');
  await setPassword(c.var.ctx.pool, auth.tenancyId, user.id, await hashPassword(body.password));
  return success(c);
});

passwordChangeRoutes.post('/auth/password/update', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, updateBody);
  const user = signedInUser(c, auth);
  checkPasswordPolicy(body.new_password);
  const hash = await findPasswordHash(c.var.ctx.pool, auth.tenancyId, user.id);
  if (!hash) throw knownError('USER_DOES_NOT_HAVE_PASSWORD');
  if (!(await verifyPassword(body.old_password, hash))) throw knownError('PASSWORD_CONFIRMATION_MISMATCH');
  const newHash = await hashPassword(body.new_password);
  // Every other session ends; the one that sent its refresh token along stays signed in.
  const keep = readHeader(c, 'header.refresh-token') || undefined;
  await withTransaction(c.var.ctx.pool, async (tx) => {
    await setPassword(tx, auth.tenancyId, user.id, newHash);
    await endUserSessions(tx, auth.tenancyId, user.id, { exceptRefreshToken: keep });
  });
  return success(c);
});
