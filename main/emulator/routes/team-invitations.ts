import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import {
  findInvitationFor,
  joinInvitedTeam,
  listTeamInvitations,
  listUserInvitations,
  requireTeam,
  requireTeamPermission,
  revokeTeamInvitation,
  sendTeamInvitation,
} from '../domain/teams/index.js';
import { restrictedStatus, type UserRecord } from '../domain/users/index.js';
import { findUsableCode, markCodeUsed } from '../domain/verification/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv, RequestAuth } from '../wire/env.js';
import { json, success } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';
import { validate, validBody, validQuery } from '../wire/validate.js';
import { resolveMe, urlField, userIdOrMe } from './schemas/fields.js';
import { codeField, codeIsValid } from './schemas/verification.js';

/**
 * `/team-invitations`: send one by e-mail (`send-code`), list a team's or a user's, revoke, and accept by the
 * code in the e-mail (`accept`, with `check-code` and `details`) or by id for a user holding the address.
 */
export const teamInvitationRoutes = new Hono<EmulatorEnv>();

const sendBody = z.strictObject({ team_id: z.uuid(), email: z.email(), callback_url: urlField });
const listQuery = z.strictObject({ team_id: z.uuid().optional(), user_id: userIdOrMe.optional() });
const codeBody = z.strictObject({ code: codeField });

function need(auth: RequestAuth, teamId: string, permissionId: string) {
  if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
  return { teamId, userId: auth.user.id, permissionId, recursive: true, errorType: 'required' } as const;
}

/** Anonymous and otherwise restricted users may not join a team by invitation. */
function unrestrictedUser(auth: RequestAuth): UserRecord {
  if (!auth.user) throw knownError('USER_AUTHENTICATION_REQUIRED');
  const { reason } = restrictedStatus(auth.user, auth.tenancy.config);
  if (reason) throw knownError('TEAM_INVITATION_RESTRICTED_USER_NOT_ALLOWED', reason);
  return auth.user;
}

teamInvitationRoutes.post('/team-invitations/send-code', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, sendBody);
  const { ctx } = c.var;
  if (auth.type === 'client') {
    if (!auth.user) throw knownError('USER_AUTHENTICATION_REQUIRED');
    await requireTeamPermission(ctx.pool, auth.tenancy, need(auth, body.team_id, '$invite_members'));
  }
  const id = await sendTeamInvitation(
    ctx.pool,
    ctx.mail,
    { tenancy: auth.tenancy, projectName: auth.project.displayName },
    { teamId: body.team_id, email: body.email, callbackUrl: body.callback_url },
  );
  return json(c, { success: true, id });
});

teamInvitationRoutes.get('/team-invitations', async (c) => {
  const auth = requireAccess(c);
  const query = validQuery(c, listQuery);
  if (query.team_id !== undefined && query.user_id !== undefined) {
    throw new StatusError(400, 'Cannot specify both team_id and user_id');
  }
  const { pool } = c.var.ctx;
  if (query.user_id !== undefined) {
    const userId = resolveMe(auth, query.user_id);
    // Upstream answers a client asking for someone else as if it had no user.
    if (auth.type === 'client' && userId !== auth.user?.id)
      throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
    return json(c, { items: await listUserInvitations(pool, auth.tenancy, userId), is_paginated: false });
  }
  if (query.team_id === undefined) throw new StatusError(400, 'Must specify either team_id or user_id');
  const teamId = query.team_id;
  const items = await withTransaction(pool, async (tx) => {
    if (auth.type === 'client') {
      for (const permissionId of ['$read_members', '$invite_members']) {
        await requireTeamPermission(tx, auth.tenancy, need(auth, teamId, permissionId));
      }
    } else {
      await requireTeam(tx, auth.tenancyId, teamId);
    }
    return listTeamInvitations(tx, auth.tenancy, teamId);
  });
  return json(c, { items, is_paginated: false });
});

function invitationId(c: Context<EmulatorEnv>) {
  return validate(c, 'params', z.object({ id: z.uuid() }), { id: c.req.param('id') }).id;
}

teamInvitationRoutes.delete('/team-invitations/:id', async (c) => {
  const auth = requireAccess(c);
  const id = invitationId(c);
  const query = validQuery(c, listQuery);
  if (query.team_id === undefined)
    throw new StatusError(400, 'team_id is required for deleting a team invitation');
  const teamId = query.team_id;
  await withTransaction(c.var.ctx.pool, async (tx) => {
    if (auth.type === 'client') {
      await requireTeamPermission(tx, auth.tenancy, need(auth, teamId, '$remove_members'));
    } else {
      await requireTeam(tx, auth.tenancyId, teamId);
    }
    if (!(await revokeTeamInvitation(tx, auth.tenancy, teamId, id)))
      throw knownError('VERIFICATION_CODE_NOT_FOUND');
  });
  return success(c);
});

/** Accept by id, for a user (`me` on a client) holding the invited address verified. */
teamInvitationRoutes.post('/team-invitations/:id/accept', async (c) => {
  const auth = requireAccess(c);
  const id = invitationId(c);
  const query = validQuery(c, z.strictObject({ user_id: userIdOrMe }));
  if (auth.type === 'client') {
    const userId = resolveMe(auth, query.user_id);
    if (userId !== auth.user?.id) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
    unrestrictedUser(auth);
  }
  const userId = resolveMe(auth, query.user_id);
  const { pool } = c.var.ctx;
  const invitation = await findInvitationFor(pool, auth.tenancy, id, userId);
  if (!invitation) throw knownError('VERIFICATION_CODE_NOT_FOUND');
  await markCodeUsed(pool, auth.tenancy, id).catch(() => {
    throw knownError('VERIFICATION_CODE_NOT_FOUND');
  });
  await withTransaction(pool, (tx) => joinInvitedTeam(tx, auth.tenancy, invitation.team_id, userId));
  return json(c, {});
});

/** The code checks every accept endpoint makes first (found, unexpired, unused, attempts left). */
async function usableInvitation(c: Context<EmulatorEnv>, auth: RequestAuth) {
  const { code } = await validBody(c, codeBody);
  const found = await findUsableCode(c.var.ctx.pool, auth.tenancy, 'TEAM_INVITATION', code);
  return { id: found.id, teamId: String(found.data.team_id) };
}

teamInvitationRoutes.post('/team-invitations/accept/check-code', async (c) => {
  await usableInvitation(c, requireAccess(c));
  return codeIsValid(c);
});

teamInvitationRoutes.post('/team-invitations/accept/details', async (c) => {
  const auth = requireAccess(c);
  const invitation = await usableInvitation(c, auth);
  unrestrictedUser(auth);
  const team = await requireTeam(c.var.ctx.pool, auth.tenancyId, invitation.teamId);
  return json(c, { team_id: team.id, team_display_name: team.displayName });
});

// As upstream, the code is used up before the user is checked: a refused attempt spends it.
teamInvitationRoutes.post('/team-invitations/accept', async (c) => {
  const auth = requireAccess(c);
  const invitation = await usableInvitation(c, auth);
  const { pool } = c.var.ctx;
  await markCodeUsed(pool, auth.tenancy, invitation.id);
  const user = unrestrictedUser(auth);
  await withTransaction(pool, (tx) => joinInvitedTeam(tx, auth.tenancy, invitation.teamId, user.id));
  return json(c, {});
});
