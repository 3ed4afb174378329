import { Hono } from 'hono';
import { z } from 'zod';
import { clientConfigJson } from '../domain/projects/index.js';
import { StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';
import { validQuery } from '../wire/validate.js';

/** `/projects/current` (any access type) and the projects' JWKS. */
export const projectRoutes = new Hono<EmulatorEnv>();

projectRoutes.get('/projects/current', (c) => {
  const auth = requireAccess(c);
  return json(c, {
    id: auth.projectId,
    display_name: auth.project.displayName,
    config: clientConfigJson(auth.tenancy.config),
  });
});

const flag = z.enum(['true', 'false']).optional();

// Upstream's key count: two per audience, the restricted and anonymous audiences' added when asked for.
projectRoutes.get('/projects/:projectId/.well-known/jwks.json', async (c) => {
  const projectId = c.req.param('projectId');
  const query = validQuery(c, z.looseObject({ include_anonymous: flag, include_restricted: flag }));
  if (!(await c.var.ctx.projects.lookup(projectId, 'main'))) throw new StatusError(404, 'Project not found');
  const jwks = await c.var.ctx.tokens.jwks(projectId, {
    anonymous: query.include_anonymous === 'true',
    restricted: query.include_restricted === 'true',
  });
  return json(c, jwks, 200, 'public, max-age=3600');
});

// Upstream redirects the anonymous-users issuer's well-known paths to the project's, with include_anonymous.
projectRoutes.get('/projects-anonymous-users/:projectId/.well-known/:file', (c) => {
  const target = new URL(
    `/api/v1/projects/${c.req.param('projectId')}/.well-known/${c.req.param('file')}`,
    c.req.url,
  );
  target.searchParams.set('include_anonymous', 'true');
  return c.redirect(target.toString(), 307);
});
