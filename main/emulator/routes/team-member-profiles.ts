import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Queryable } from '../db/index.js';
import { withTransaction } from '../db/index.js';
import {
  listMemberProfiles,
  type MemberProfile,
  requireMembership,
  requireTeam,
  requireTeamPermission,
  updateMemberProfile,
} from '../domain/teams/index.js';
import { findUser, listUsers, serverUserJson, type UserRecord } from '../domain/users/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv, RequestAuth } from '../wire/env.js';
import { storedImage } from '../wire/images.js';
import { json } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';
import { validate, validBody, validQuery } from '../wire/validate.js';
import { imageUrlField, resolveMe, userIdOrMe } from './schemas/fields.js';

/**
 * `/team-member-profiles`: a member's name and image in a team. A client reads its own profile, and the others'
 * only with `$read_members`; a server also gets each member's full user.
 */
export const teamMemberProfileRoutes = new Hono<EmulatorEnv>();

const listQuery = z.strictObject({ user_id: userIdOrMe.optional(), team_id: z.uuid().optional() });
const updateBody = z.strictObject({
  display_name: z.string().optional(),
  profile_image_url: imageUrlField.nullable().optional(),
});

const clientProfileJson = (profile: MemberProfile) => ({
  team_id: profile.teamId,
  user_id: profile.userId,
  display_name: profile.displayName,
  profile_image_url: profile.profileImageUrl,
});

/** The views of a request's access type; a server's carries each member's user, read in one query per team. */
async function profilesJson(db: Queryable, auth: RequestAuth, profiles: readonly MemberProfile[]) {
  if (auth.type === 'client') return profiles.map(clientProfileJson);
  const users = new Map<string, UserRecord>();
  for (const teamId of new Set(profiles.map((p) => p.teamId))) {
    const page = await listUsers(db, auth.tenancyId, {
      teamId,
      desc: false,
      includeAnonymous: true,
      onlyAnonymous: false,
      includeRestricted: true,
    });
    for (const user of page.items) users.set(user.id, user);
  }
  return profiles.map((profile) => ({
    ...clientProfileJson(profile),
    user: serverUserJson(users.get(profile.userId)!, auth.tenancy.config),
  }));
}

function currentUserId(auth: RequestAuth): string {
  if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
  return auth.user.id;
}

function profileParams(c: Context<EmulatorEnv>, auth: RequestAuth) {
  const params = validate(c, 'params', z.object({ team_id: z.uuid(), user_id: userIdOrMe }), {
    team_id: c.req.param('teamId'),
    user_id: c.req.param('userId'),
  });
  return { teamId: params.team_id, userId: resolveMe(auth, params.user_id) };
}

const readMembers = (teamId: string, userId: string) =>
  ({ teamId, userId, permissionId: '$read_members', recursive: true, errorType: 'required' }) as const;

teamMemberProfileRoutes.get('/team-member-profiles', async (c) => {
  const auth = requireAccess(c);
  const query = validQuery(c, listQuery);
  const userId = resolveMe(auth, query.user_id);
  const profiles = await withTransaction(c.var.ctx.pool, async (tx) => {
    if (auth.type === 'client') {
      const me = currentUserId(auth);
      if (!query.team_id) throw new StatusError(400, 'team_id is required for access type client');
      await requireMembership(tx, auth.tenancyId, query.team_id, me);
      if (userId !== me) await requireTeamPermission(tx, auth.tenancy, readMembers(query.team_id, me));
    } else {
      if (query.team_id) await requireTeam(tx, auth.tenancyId, query.team_id);
      if (userId && !(await findUser(tx, auth.tenancyId, userId))) throw knownError('USER_NOT_FOUND');
    }
    const found = await listMemberProfiles(tx, auth.tenancyId, { teamId: query.team_id, userId });
    return profilesJson(tx, auth, found);
  });
  return json(c, { items: profiles, is_paginated: false });
});

teamMemberProfileRoutes.get('/team-member-profiles/:teamId/:userId', async (c) => {
  const auth = requireAccess(c);
  const { teamId, userId } = profileParams(c, auth);
  const profile = await withTransaction(c.var.ctx.pool, async (tx) => {
    if (auth.type === 'client') {
      const me = currentUserId(auth);
      if (userId !== me) await requireTeamPermission(tx, auth.tenancy, readMembers(teamId, me));
    }
    await requireMembership(tx, auth.tenancyId, teamId, userId);
    const [found] = await listMemberProfiles(tx, auth.tenancyId, { teamId, userId });
    return (await profilesJson(tx, auth, [found!]))[0];
  });
  return json(c, profile);
});

teamMemberProfileRoutes.patch('/team-member-profiles/:teamId/:userId', async (c) => {
  const auth = requireAccess(c);
  const { teamId, userId } = profileParams(c, auth);
  const body = await validBody(c, updateBody);
  const profile = await withTransaction(c.var.ctx.pool, async (tx) => {
    if (auth.type === 'client' && userId !== currentUserId(auth)) {
      throw new StatusError(403, "Cannot update another user's profile");
    }
    await requireMembership(tx, auth.tenancyId, teamId, userId);
    const updated = await updateMemberProfile(tx, auth.tenancyId, teamId, userId, {
      displayName: body.display_name,
      profileImageUrl: await storedImage(c, tx, 'team-member-profile-images', body.profile_image_url),
    });
    return (await profilesJson(tx, auth, [updated!]))[0];
  });
  return json(c, profile);
});
