import { Hono } from 'hono';
import type { EmulatorEnv } from '../context.js';
import { withTransaction } from '../db/transaction.js';
import { EMULATOR_PROJECT_CONFIG } from '../project-config.js';
import { deleteUser, rethrowEmailTaken, updateUser } from '../users/mutations.js';
import { findUser } from '../users/queries.js';
import type { UserRecord } from '../users/record.js';
import { clientUserUpdate, serverUserUpdate, toUserWrite } from '../users/schemas.js';
import { clientUserJson, serverUserJson } from '../users/serialize.js';
import { knownError, StatusError } from '../wire/known-errors.js';
import { json, success } from '../wire/respond.js';
import { type RequestAuth, requireAccess } from '../wire/smart-request.js';
import { validBody } from '../wire/validate.js';

/** `/users/me` for every access type: a client sees and edits the client view, a server the full user. */
export const currentUserRoutes = new Hono<EmulatorEnv>();

function currentUser(auth: RequestAuth): UserRecord {
  if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
  return auth.user;
}

const view = (auth: RequestAuth, user: UserRecord) =>
  auth.type === 'client' ? clientUserJson(user) : serverUserJson(user);

currentUserRoutes.get('/users/me', (c) => {
  const auth = requireAccess(c);
  return json(c, view(auth, currentUser(auth)));
});

currentUserRoutes.patch('/users/me', async (c) => {
  const auth = requireAccess(c);
  const user = currentUser(auth);
  const body = await validBody(c, auth.type === 'client' ? clientUserUpdate : serverUserUpdate);
  const write = await toUserWrite(body);
  const tenancy = { projectId: auth.projectId, branchId: auth.branchId, tenancyId: auth.tenancyId };
  const updated = await withTransaction(c.var.ctx.pool, async (tx) => {
    await updateUser(tx, tenancy, user.id, write).catch((error) =>
      rethrowEmailTaken(error, write.primaryEmail),
    );
    return findUser(tx, auth.tenancyId, user.id);
  });
  return json(c, view(auth, updated!));
});

currentUserRoutes.delete('/users/me', async (c) => {
  const auth = requireAccess(c);
  const user = currentUser(auth);
  if (auth.type === 'client' && !EMULATOR_PROJECT_CONFIG.clientUserDeletionEnabled) {
    throw new StatusError(403, 'Client user deletion is not enabled for this project.');
  }
  await deleteUser(c.var.ctx.pool, auth.tenancyId, user.id);
  return success(c);
});
