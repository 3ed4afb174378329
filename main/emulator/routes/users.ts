import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import { endUserSessions } from '../domain/sessions/index.js';
import {
  createPersonalTeamIfEnabled,
  createUserWithDefaults,
  deleteUser,
  findUser,
  listUsers,
  rethrowEmailTaken,
  serverUserJson,
  updateUser,
} from '../domain/users/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { storedImage } from '../wire/images.js';
import { json, success } from '../wire/respond.js';
import { type RequestAuth, requireAccess, SERVER_ACCESS } from '../wire/smart-request.js';
import { validate, validBody, validQuery } from '../wire/validate.js';
import { serverUserCreate, serverUserUpdate, toUserWrite } from './schemas/users.js';

/** Server-only user CRUD (`usersCrud` defines only server schemas, so a client gets INSUFFICIENT_ACCESS_TYPE). */
export const userRoutes = new Hono<EmulatorEnv>();

const flag = z.enum(['true', 'false']).optional();
const listQuery = z.looseObject({
  limit: z.coerce.number().int().min(1).max(2_147_483_646).optional(),
  cursor: z.uuid().optional(),
  order_by: z.literal('signed_up_at').optional(),
  desc: flag,
  query: z.string().optional(),
  team_id: z.uuid().optional(),
  include_anonymous: flag,
  only_anonymous: flag,
  include_restricted: flag,
});

/** `me` is the token's user; anything else must be a UUID. */
function targetUserId(c: Context<EmulatorEnv>, auth: RequestAuth): string {
  const raw = c.req.param('userId');
  if (raw !== 'me') return validate(c, 'params', z.object({ user_id: z.uuid() }), { user_id: raw }).user_id;
  if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
  return auth.user.id;
}

userRoutes.get('/users', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const query = validQuery(c, listQuery);
  if (query.only_anonymous === 'true' && query.include_anonymous !== 'true') {
    throw new StatusError(400, 'only_anonymous=true requires include_anonymous=true');
  }
  const page = await listUsers(c.var.ctx.pool, auth.tenancyId, {
    limit: query.limit,
    cursor: query.cursor,
    desc: query.desc === 'true',
    query: query.query,
    teamId: query.team_id,
    includeAnonymous: query.include_anonymous === 'true',
    onlyAnonymous: query.only_anonymous === 'true',
    includeRestricted: query.include_restricted === 'true',
  });
  return json(c, {
    items: page.items.map((user) => serverUserJson(user, auth.tenancy.config)),
    is_paginated: true,
    pagination: { next_cursor: page.nextCursor },
  });
});

userRoutes.post('/users', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const body = await validBody(c, serverUserCreate);
  const parsed = await toUserWrite(body, auth.tenancy.config);
  const user = await withTransaction(c.var.ctx.pool, async (tx) => {
    const write = {
      ...parsed,
      profileImageUrl: await storedImage(c, tx, 'user-profile-images', parsed.profileImageUrl),
    };
    const userId = await createUserWithDefaults(tx, auth.tenancy, write, { personalTeam: false }).catch(
      (error: unknown) => rethrowEmailTaken(error, write.primaryEmail),
    );
    const created = (await findUser(tx, auth.tenancyId, userId))!;
    // Upstream answers with the user as created, and only then adds the personal team.
    await createPersonalTeamIfEnabled(tx, auth.tenancy, created);
    return created;
  });
  return json(c, serverUserJson(user, auth.tenancy.config), 201);
});

userRoutes.get('/users/:userId', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const user = await findUser(c.var.ctx.pool, auth.tenancyId, targetUserId(c, auth));
  if (!user) throw knownError('USER_NOT_FOUND');
  return json(c, serverUserJson(user, auth.tenancy.config));
});

userRoutes.patch('/users/:userId', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const userId = targetUserId(c, auth);
  const parsed = await toUserWrite(await validBody(c, serverUserUpdate), auth.tenancy.config);
  const user = await withTransaction(c.var.ctx.pool, async (tx) => {
    const write = {
      ...parsed,
      profileImageUrl: await storedImage(c, tx, 'user-profile-images', parsed.profileImageUrl),
    };
    const found = await updateUser(tx, auth.tenancy, userId, write).catch((error: unknown) =>
      rethrowEmailTaken(error, write.primaryEmail),
    );
    if (!found) throw knownError('USER_NOT_FOUND');
    // A new (or removed) password signs the user out everywhere, as upstream.
    if (write.passwordHash !== undefined) await endUserSessions(tx, auth.tenancyId, userId);
    return findUser(tx, auth.tenancyId, userId);
  });
  return json(c, serverUserJson(user!, auth.tenancy.config));
});

userRoutes.delete('/users/:userId', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const userId = targetUserId(c, auth);
  if (!(await withTransaction(c.var.ctx.pool, (tx) => deleteUser(tx, auth.tenancy, userId))))
    throw knownError('USER_NOT_FOUND');
  return success(c);
});
