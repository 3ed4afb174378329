import { type Context, Hono } from 'hono';
import { type Queryable, withTransaction } from '../db/index.js';
import {
  createProject,
  DEFAULT_BRANCH_ID,
  deleteProject,
  INTERNAL_PROJECT_ID,
  managedProjectIds,
  projectJson,
  updateProject,
} from '../domain/projects/index.js';
import { isTeamMember } from '../domain/teams/index.js';
import { knownError } from '../errors/index.js';
import type { EmulatorEnv, RequestAuth } from '../wire/env.js';
import { storedImage } from '../wire/images.js';
import { json, success } from '../wire/respond.js';
import { ADMIN_ACCESS, requireAccess } from '../wire/smart-request.js';
import { validBody } from '../wire/validate.js';
import { projectCreate, projectUpdate } from './schemas/projects.js';

/**
 * `/internal/projects`: a dashboard user (a signed-in user of the `internal` project, client access) creates and
 * lists the projects their teams own; `/internal/projects/current` reads, updates and deletes the project of the
 * request (admin access: its admin key, or a managing user's admin access token).
 */
export const internalProjectRoutes = new Hono<EmulatorEnv>();

function dashboardUser(auth: RequestAuth) {
  if (!auth.user) throw knownError('USER_AUTHENTICATION_REQUIRED');
  if (auth.projectId !== INTERNAL_PROJECT_ID) throw knownError('EXPECTED_INTERNAL_PROJECT');
  return auth.user;
}

async function projectResponse(
  c: Parameters<typeof json>[0],
  projectId: string,
  branchId = DEFAULT_BRANCH_ID,
) {
  const { ctx } = c.var;
  ctx.projects.invalidate(projectId);
  const found = await ctx.projects.lookup(projectId, branchId);
  if (!found) throw knownError('PROJECT_NOT_FOUND', projectId);
  return projectJson(found.project, found.config);
}

internalProjectRoutes.get('/internal/projects', async (c) => {
  const auth = requireAccess(c);
  const user = dashboardUser(auth);
  const ids = await managedProjectIds(c.var.ctx.pool, auth.tenancyId, user.id);
  const items = [];
  for (const id of ids) items.push(await projectResponse(c, id));
  return json(c, { items, is_paginated: false });
});

const LOGO_FIELDS = ['logo_url', 'logo_full_url', 'logo_dark_mode_url', 'logo_full_dark_mode_url'] as const;

/** The project's fields with each base64 logo uploaded, as upstream's project CRUD does. */
async function storedLogos<T extends Partial<Record<(typeof LOGO_FIELDS)[number], string | null>>>(
  c: Context<EmulatorEnv>,
  db: Queryable,
  body: T,
): Promise<T> {
  const stored: T = { ...body };
  for (const field of LOGO_FIELDS) {
    if (body[field] === undefined) continue;
    stored[field] = (await storedImage(c, db, 'project-logos', body[field])) as T[typeof field];
  }
  return stored;
}

internalProjectRoutes.post('/internal/projects', async (c) => {
  const auth = requireAccess(c);
  const user = dashboardUser(auth);
  const body = await validBody(c, projectCreate);
  const { pool } = c.var.ctx;
  const projectId = await withTransaction(pool, async (tx) => {
    if (!(await isTeamMember(tx, auth.tenancyId, body.owner_team_id, user.id)))
      throw knownError('TEAM_MEMBERSHIP_NOT_FOUND', body.owner_team_id, user.id);
    return createProject(tx, {
      ...(await storedLogos(c, tx, body)),
      config: { allow_localhost: true, ...body.config },
    });
  });
  return json(c, await projectResponse(c, projectId), 201);
});

internalProjectRoutes.get('/internal/projects/current', (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  return json(c, projectJson(auth.project, auth.tenancy.config));
});

internalProjectRoutes.patch('/internal/projects/current', async (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  const body = await validBody(c, projectUpdate);
  await withTransaction(c.var.ctx.pool, async (tx) =>
    updateProject(tx, auth.projectId, auth.branchId, await storedLogos(c, tx, body)),
  );
  return json(c, await projectResponse(c, auth.projectId, auth.branchId));
});

internalProjectRoutes.delete('/internal/projects/current', async (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  await withTransaction(c.var.ctx.pool, (tx) => deleteProject(tx, auth.projectId));
  c.var.ctx.projects.invalidate(auth.projectId);
  return success(c);
});
