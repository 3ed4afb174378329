import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import {
  grantProjectPermission,
  grantTeamPermission,
  listPermissions,
  type PermissionScope,
  revokeProjectPermission,
  revokeTeamPermission,
} from '../domain/permissions/index.js';
import { requireMembership, requireTeamPermission } from '../domain/teams/index.js';
import { findUser } from '../domain/users/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv, RequestAuth } from '../wire/env.js';
import { json, success } from '../wire/respond.js';
import { requireAccess, SERVER_ACCESS } from '../wire/smart-request.js';
import { validate, validBody, validQuery } from '../wire/validate.js';
import { permissionIdField, resolveMe, userIdOrMe } from './schemas/fields.js';

/**
 * `/team-permissions` and `/project-permissions`: a server grants and revokes; anyone lists (a client only its
 * own), directly held or, with `recursive=true`, with everything those contain.
 */
export const permissionRoutes = new Hono<EmulatorEnv>();

const recursive = z.enum(['true', 'false']).optional();
const projectQuery = z.strictObject({
  user_id: userIdOrMe.optional(),
  permission_id: permissionIdField.optional(),
  recursive,
});
const teamQuery = projectQuery.extend({ team_id: z.uuid().optional() });

function listedUserId(auth: RequestAuth, raw: string | undefined) {
  const userId = resolveMe(auth, raw);
  if (auth.type === 'client') {
    if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
    if (userId !== auth.user.id) {
      throw new StatusError(
        403,
        'Client can only list permissions for their own user. user_id must be either "me" or the ID of the current user',
      );
    }
  }
  return userId;
}

async function list(c: Context<EmulatorEnv>, scope: PermissionScope) {
  const auth = requireAccess(c);
  const query: z.output<typeof teamQuery> = validQuery(c, scope === 'team' ? teamQuery : projectQuery);
  const items = await listPermissions(c.var.ctx.pool, auth.tenancy, scope, {
    userId: listedUserId(auth, query.user_id),
    teamId: query.team_id,
    permissionId: query.permission_id,
    recursive: query.recursive === 'true',
  });
  return json(c, { items, is_paginated: false });
}

function teamGrantParams(c: Context<EmulatorEnv>, auth: RequestAuth) {
  const params = validate(
    c,
    'params',
    z.object({ team_id: z.uuid(), user_id: userIdOrMe, permission_id: permissionIdField }),
    {
      team_id: c.req.param('teamId'),
      user_id: c.req.param('userId'),
      permission_id: c.req.param('permissionId'),
    },
  );
  return {
    teamId: params.team_id,
    userId: resolveMe(auth, params.user_id),
    permissionId: params.permission_id,
  };
}

function projectGrantParams(c: Context<EmulatorEnv>, auth: RequestAuth) {
  const params = validate(c, 'params', z.object({ user_id: userIdOrMe, permission_id: permissionIdField }), {
    user_id: c.req.param('userId'),
    permission_id: c.req.param('permissionId'),
  });
  return { userId: resolveMe(auth, params.user_id), permissionId: params.permission_id };
}

permissionRoutes.get('/team-permissions', (c) => list(c, 'team'));
permissionRoutes.get('/project-permissions', (c) => list(c, 'project'));

permissionRoutes.post('/team-permissions/:teamId/:userId/:permissionId', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const { teamId, userId, permissionId } = teamGrantParams(c, auth);
  await validBody(c, z.strictObject({}));
  const grant = await withTransaction(c.var.ctx.pool, async (tx) => {
    await requireMembership(tx, auth.tenancyId, teamId, userId);
    return grantTeamPermission(tx, auth.tenancy, teamId, userId, permissionId);
  });
  return json(c, grant, 201);
});

permissionRoutes.delete('/team-permissions/:teamId/:userId/:permissionId', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const { teamId, userId, permissionId } = teamGrantParams(c, auth);
  await withTransaction(c.var.ctx.pool, async (tx) => {
    await requireTeamPermission(tx, auth.tenancy, {
      teamId,
      userId,
      permissionId,
      recursive: false,
      errorType: 'not-exist',
    });
    await revokeTeamPermission(tx, auth.tenancy, teamId, userId, permissionId);
  });
  return success(c);
});

permissionRoutes.post('/project-permissions/:userId/:permissionId', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const { userId, permissionId } = projectGrantParams(c, auth);
  await validBody(c, z.strictObject({}));
  const grant = await withTransaction(c.var.ctx.pool, async (tx) => {
    if (!(await findUser(tx, auth.tenancyId, userId))) throw knownError('USER_NOT_FOUND');
    return grantProjectPermission(tx, auth.tenancy, userId, permissionId);
  });
  return json(c, grant, 201);
});

permissionRoutes.delete('/project-permissions/:userId/:permissionId', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const { userId, permissionId } = projectGrantParams(c, auth);
  await withTransaction(c.var.ctx.pool, async (tx) => {
    if (!(await findUser(tx, auth.tenancyId, userId))) throw knownError('USER_NOT_FOUND');
    const held = await listPermissions(tx, auth.tenancy, 'project', {
      userId,
      permissionId,
      recursive: false,
    });
    if (held.length === 0) throw knownError('PERMISSION_NOT_FOUND', permissionId);
    await revokeProjectPermission(tx, auth.tenancy, userId, permissionId);
  });
  return success(c);
});
