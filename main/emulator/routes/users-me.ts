import { Hono } from 'hono';
import { withTransaction } from '../db/index.js';
import { endUserSessions } from '../domain/sessions/index.js';
import {
  clientUserJson,
  deleteUser,
  findUser,
  rethrowEmailTaken,
  serverUserJson,
  type UserRecord,
  updateUser,
} from '../domain/users/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { storedImage } from '../wire/images.js';
import { json, success } from '../wire/respond.js';
import { type RequestAuth, requireAccess } from '../wire/smart-request.js';
import { validBody } from '../wire/validate.js';
import { clientUserUpdate, serverUserUpdate, toUserWrite } from './schemas/users.js';

const BASE64_IMAGE =
  /^data:image\/(png|jpg|jpeg|gif|bmp|webp);base64,[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9+/]+={0,2}$/;

/** `/users/me` for every access type: a client sees and edits the client view, a server the full user. */
export const currentUserRoutes = new Hono<EmulatorEnv>();

function currentUser(auth: RequestAuth): UserRecord {
  if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
  return auth.user;
}

const view = (auth: RequestAuth, user: UserRecord) =>
  auth.type === 'client'
    ? clientUserJson(user, auth.tenancy.config)
    : serverUserJson(user, auth.tenancy.config);

currentUserRoutes.get('/users/me', (c) => {
  const auth = requireAccess(c);
  return json(c, view(auth, currentUser(auth)));
});

currentUserRoutes.patch('/users/me', async (c) => {
  const auth = requireAccess(c);
  const user = currentUser(auth);
  const body = await validBody(c, auth.type === 'client' ? clientUserUpdate : serverUserUpdate);
  // A client may only upload an image (a base64 data URL), never point at one elsewhere (upstream's check).
  if (auth.type === 'client' && body.profile_image_url && !BASE64_IMAGE.test(body.profile_image_url)) {
    throw new StatusError(400, 'Invalid profile image URL');
  }
  const parsed = await toUserWrite(body, auth.tenancy.config);
  const updated = await withTransaction(c.var.ctx.pool, async (tx) => {
    const write = {
      ...parsed,
      profileImageUrl: await storedImage(c, tx, 'user-profile-images', parsed.profileImageUrl),
    };
    await updateUser(tx, auth.tenancy, user.id, write).catch((error: unknown) =>
      rethrowEmailTaken(error, write.primaryEmail),
    );
    if (write.passwordHash !== undefined) await endUserSessions(tx, auth.tenancyId, user.id);
    return findUser(tx, auth.tenancyId, user.id);
  });
  return json(c, view(auth, updated!));
});

currentUserRoutes.delete('/users/me', async (c) => {
  const auth = requireAccess(c);
  const user = currentUser(auth);
  if (auth.type === 'client' && !auth.tenancy.config.users.allowClientUserDeletion) {
    throw new StatusError(400, 'Client user deletion is not enabled for this project');
  }
  await withTransaction(c.var.ctx.pool, (tx) => deleteUser(tx, auth.tenancy, user.id));
  return success(c);
});
