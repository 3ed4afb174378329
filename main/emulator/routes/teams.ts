import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import {
  addTeamMember,
  clientTeamJson,
  createTeam,
  deleteTeam,
  listTeams,
  requireMembership,
  requireTeam,
  requireTeamPermission,
  serverTeamJson,
  type TeamFields,
  updateTeam,
} from '../domain/teams/index.js';
import { findUser } from '../domain/users/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv, RequestAuth } from '../wire/env.js';
import { storedImage } from '../wire/images.js';
import { json, success } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';
import { validate, validBody, validQuery } from '../wire/validate.js';
import { imageUrlField, resolveMe, userIdOrMe } from './schemas/fields.js';

/** `/teams` (upstream's teams CRUD): clients see and change only teams they belong to, with team permissions. */
export const teamRoutes = new Hono<EmulatorEnv>();

const clientUpdate = z.strictObject({
  display_name: z.string().optional(),
  profile_image_url: imageUrlField.nullable().optional(),
  client_metadata: z.unknown().optional(),
});
const serverUpdate = clientUpdate.extend({
  client_read_only_metadata: z.unknown().optional(),
  server_metadata: z.unknown().optional(),
});
const createFields = { display_name: z.string(), creator_user_id: userIdOrMe.optional() };
const clientCreate = clientUpdate.extend(createFields);
const serverCreate = serverUpdate.extend(createFields);
const listQuery = z.strictObject({
  user_id: userIdOrMe.optional(),
  /** Deprecated upstream in favour of `creator_user_id`; still honoured on create. */
  add_current_user: z.enum(['true', 'false']).optional(),
});

/** Upstream's client image check: only a base64 image (a data URL or bare base64) may come from a client. */
const BASE64_IMAGE =
  /^data:image\/(png|jpg|jpeg|gif|bmp|webp);base64,[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9+/]+={0,2}$/;

function checkClientImage(auth: RequestAuth, url: string | null | undefined) {
  if (auth.type === 'client' && url && !BASE64_IMAGE.test(url)) {
    throw new StatusError(400, 'Invalid profile image URL');
  }
}

const view = (auth: RequestAuth) => (auth.type === 'client' ? clientTeamJson : serverTeamJson);

function teamId(c: Context<EmulatorEnv>): string {
  return validate(c, 'params', z.object({ team_id: z.uuid() }), { team_id: c.req.param('teamId') }).team_id;
}

function signedInUser(auth: RequestAuth) {
  if (!auth.user) throw knownError('USER_AUTHENTICATION_REQUIRED');
  return auth.user;
}

/** A client changing a team needs the permission there, or one containing it. */
const callerNeeds = (auth: RequestAuth, teamId: string, permissionId: string) =>
  ({ teamId, userId: signedInUser(auth).id, permissionId, recursive: true, errorType: 'required' }) as const;

function toFields(body: z.output<typeof serverUpdate>): TeamFields {
  return {
    displayName: body.display_name,
    profileImageUrl: body.profile_image_url,
    clientMetadata: body.client_metadata,
    clientReadOnlyMetadata: body.client_read_only_metadata,
    serverMetadata: body.server_metadata,
  };
}

teamRoutes.get('/teams', async (c) => {
  const auth = requireAccess(c);
  const query = validQuery(c, listQuery);
  const userId = resolveMe(auth, query.user_id);
  if (auth.type === 'client') {
    if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
    if (userId !== auth.user.id) {
      throw new StatusError(
        403,
        'Client can only list teams for their own user. user_id must be either "me" or the ID of the current user',
      );
    }
  }
  const teams = await listTeams(c.var.ctx.pool, auth.tenancyId, userId);
  return json(c, { items: teams.map(view(auth)), is_paginated: false });
});

teamRoutes.post('/teams', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, auth.type === 'client' ? clientCreate : serverCreate);
  const query = validQuery(c, listQuery);
  let creatorId = resolveMe(auth, body.creator_user_id);
  if (body.creator_user_id && query.add_current_user) {
    throw new StatusError(
      400,
      'Cannot use both creator_user_id and add_current_user. add_current_user is deprecated, please only use creator_user_id in the body.',
    );
  }
  if (auth.type === 'client') {
    const user = signedInUser(auth);
    if (!auth.tenancy.config.teams.allowClientTeamCreation) {
      throw new StatusError(403, 'Client team creation is disabled for this project');
    }
    checkClientImage(auth, body.profile_image_url);
    if (creatorId === undefined) creatorId = user.id;
    else if (creatorId !== user.id) {
      throw new StatusError(
        403,
        "You cannot create a team as a user that is not yourself. Make sure you set the creator_user_id to 'me'.",
      );
    }
  }
  if (query.add_current_user === 'true') {
    if (!auth.user) {
      throw new StatusError(401, 'You must be logged in to create a team with the current user as a member.');
    }
    creatorId = auth.user.id;
  }
  const team = await withTransaction(c.var.ctx.pool, async (tx) => {
    const created = await createTeam(tx, auth.tenancy, {
      ...toFields(body),
      profileImageUrl: await storedImage(c, tx, 'team-profile-images', body.profile_image_url),
      displayName: body.display_name,
    });
    if (creatorId !== undefined) {
      if (!(await findUser(tx, auth.tenancyId, creatorId))) throw knownError('USER_NOT_FOUND');
      await addTeamMember(tx, auth.tenancy, created.id, creatorId, 'creator');
    }
    return created;
  });
  return json(c, view(auth)(team), 201);
});

teamRoutes.get('/teams/:teamId', async (c) => {
  const auth = requireAccess(c);
  const id = teamId(c);
  validQuery(c, listQuery);
  const { pool } = c.var.ctx;
  if (auth.type === 'client') await requireMembership(pool, auth.tenancyId, id, signedInUser(auth).id);
  return json(c, view(auth)(await requireTeam(pool, auth.tenancyId, id)));
});

teamRoutes.patch('/teams/:teamId', async (c) => {
  const auth = requireAccess(c);
  const id = teamId(c);
  const body = await validBody(c, auth.type === 'client' ? clientUpdate : serverUpdate);
  validQuery(c, listQuery);
  const team = await withTransaction(c.var.ctx.pool, async (tx) => {
    if (auth.type === 'client') {
      checkClientImage(auth, body.profile_image_url);
      await requireTeamPermission(tx, auth.tenancy, callerNeeds(auth, id, '$update_team'));
    }
    await requireTeam(tx, auth.tenancyId, id);
    return (await updateTeam(tx, auth.tenancy, id, {
      ...toFields(body),
      profileImageUrl: await storedImage(c, tx, 'team-profile-images', body.profile_image_url),
    }))!;
  });
  return json(c, view(auth)(team));
});

teamRoutes.delete('/teams/:teamId', async (c) => {
  const auth = requireAccess(c);
  const id = teamId(c);
  validQuery(c, listQuery);
  await withTransaction(c.var.ctx.pool, async (tx) => {
    if (auth.type === 'client') {
      await requireTeamPermission(tx, auth.tenancy, callerNeeds(auth, id, '$delete_team'));
    }
    await requireTeam(tx, auth.tenancyId, id);
    await deleteTeam(tx, auth.tenancy, id);
  });
  return success(c);
});
