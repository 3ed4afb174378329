import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type Queryable, withTransaction } from '../db/index.js';
import {
  createPermissionDefinition,
  deletePermissionDefinition,
  listPermissionDefinitions,
  type PermissionScope,
  updatePermissionDefinition,
} from '../domain/permissions/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json, success } from '../wire/respond.js';
import { ADMIN_ACCESS, requireAccess } from '../wire/smart-request.js';
import { validate, validBody } from '../wire/validate.js';
import { customPermissionIdField, permissionIdField } from './schemas/fields.js';

/**
 * `/team-permission-definitions` and `/project-permission-definitions` (admin): the project's permissions, kept
 * in its configuration. A change takes effect on the very next request.
 */
export const permissionDefinitionRoutes = new Hono<EmulatorEnv>();

const definitionFields = {
  description: z.string().optional(),
  contained_permission_ids: z.array(permissionIdField).optional(),
};
const createBody = z.strictObject({ id: customPermissionIdField, ...definitionFields });
const updateBody = z.strictObject({ id: customPermissionIdField.optional(), ...definitionFields });

const SCOPES: readonly [PermissionScope, string][] = [
  ['team', '/team-permission-definitions'],
  ['project', '/project-permission-definitions'],
];

function permissionParam(c: Context<EmulatorEnv>) {
  return validate(c, 'params', z.object({ permission_id: permissionIdField }), {
    permission_id: c.req.param('permissionId'),
  }).permission_id;
}

/** Run a definition write, then drop the cached configuration so the next request sees it. */
async function writeDefinitions<T>(
  c: Context<EmulatorEnv>,
  projectId: string,
  write: (tx: Queryable) => Promise<T>,
) {
  const { ctx } = c.var;
  try {
    return await withTransaction(ctx.pool, write);
  } finally {
    ctx.projects.invalidate(projectId);
  }
}

for (const [scope, path] of SCOPES) {
  permissionDefinitionRoutes.get(path, (c) => {
    const auth = requireAccess(c, ADMIN_ACCESS);
    return json(c, { items: listPermissionDefinitions(auth.tenancy.config, scope), is_paginated: false });
  });

  permissionDefinitionRoutes.post(path, async (c) => {
    const auth = requireAccess(c, ADMIN_ACCESS);
    const body = await validBody(c, createBody);
    const created = await writeDefinitions(c, auth.projectId, (tx) =>
      createPermissionDefinition(tx, auth.tenancy, scope, body),
    );
    return json(c, created, 201);
  });

  permissionDefinitionRoutes.patch(`${path}/:permissionId`, async (c) => {
    const auth = requireAccess(c, ADMIN_ACCESS);
    const permissionId = permissionParam(c);
    const body = await validBody(c, updateBody);
    const updated = await writeDefinitions(c, auth.projectId, (tx) =>
      updatePermissionDefinition(tx, auth.tenancy, scope, permissionId, body),
    );
    return json(c, updated);
  });

  permissionDefinitionRoutes.delete(`${path}/:permissionId`, async (c) => {
    const auth = requireAccess(c, ADMIN_ACCESS);
    const permissionId = permissionParam(c);
    await writeDefinitions(c, auth.projectId, (tx) =>
      deletePermissionDefinition(tx, auth.tenancy, scope, permissionId),
    );
    return success(c);
  });
}
