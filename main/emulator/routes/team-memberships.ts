import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import {
  addTeamMember,
  isTeamMember,
  removeTeamMember,
  requireMembership,
  requireTeam,
  requireTeamPermission,
} from '../domain/teams/index.js';
import { findUser } from '../domain/users/index.js';
import { knownError } from '../errors/index.js';
import type { EmulatorEnv, RequestAuth } from '../wire/env.js';
import { json, success } from '../wire/respond.js';
import { requireAccess, SERVER_ACCESS } from '../wire/smart-request.js';
import { validate, validBody } from '../wire/validate.js';
import { resolveMe, userIdOrMe } from './schemas/fields.js';

/**
 * `/team-memberships/{team_id}/{user_id}`: a server adds a member (with the default member permissions); anyone
 * may leave a team, and a client may remove others only with `$remove_members`.
 */
export const teamMembershipRoutes = new Hono<EmulatorEnv>();

function membershipParams(c: Context<EmulatorEnv>, auth: RequestAuth) {
  const params = validate(c, 'params', z.object({ team_id: z.uuid(), user_id: userIdOrMe }), {
    team_id: c.req.param('teamId'),
    user_id: c.req.param('userId'),
  });
  return { teamId: params.team_id, userId: resolveMe(auth, params.user_id) };
}

teamMembershipRoutes.post('/team-memberships/:teamId/:userId', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const { teamId, userId } = membershipParams(c, auth);
  await validBody(c, z.strictObject({}));
  await withTransaction(c.var.ctx.pool, async (tx) => {
    if (!(await findUser(tx, auth.tenancyId, userId))) throw knownError('USER_NOT_FOUND');
    await requireTeam(tx, auth.tenancyId, teamId);
    if (await isTeamMember(tx, auth.tenancyId, teamId, userId))
      throw knownError('TEAM_MEMBERSHIP_ALREADY_EXISTS');
    await addTeamMember(tx, auth.tenancy, teamId, userId, 'member');
  });
  return json(c, { team_id: teamId, user_id: userId }, 201);
});

teamMembershipRoutes.delete('/team-memberships/:teamId/:userId', async (c) => {
  const auth = requireAccess(c);
  const { teamId, userId } = membershipParams(c, auth);
  await withTransaction(c.var.ctx.pool, async (tx) => {
    if (auth.type === 'client') {
      if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
      if (userId !== auth.user.id) {
        await requireTeamPermission(tx, auth.tenancy, {
          teamId,
          userId: auth.user.id,
          permissionId: '$remove_members',
          recursive: true,
          errorType: 'required',
        });
      }
    }
    await requireMembership(tx, auth.tenancyId, teamId, userId);
    await removeTeamMember(tx, auth.tenancy, teamId, userId);
  });
  return success(c);
});
