import { Hono } from 'hono';
import { lookupProject } from '../auth/projects.js';
import type { EmulatorEnv } from '../context.js';
import { clientProjectJson } from '../project-config.js';
import { knownError } from '../wire/known-errors.js';
import { json } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';

export const projectRoutes = new Hono<EmulatorEnv>();

projectRoutes.get('/projects/current', (c) => {
  const auth = requireAccess(c);
  return json(c, clientProjectJson({ id: auth.projectId, displayName: auth.projectDisplayName }));
});

// Tokens of every kind are signed by the same key, so one JWKS serves all three issuers.
projectRoutes.get('/projects/:projectId/.well-known/jwks.json', async (c) => {
  const projectId = c.req.param('projectId');
  if (!(await lookupProject(c.var.ctx.pool, projectId, 'main')))
    throw knownError('PROJECT_NOT_FOUND', projectId);
  return json(c, c.var.ctx.tokens.jwks(), 200, 'public, max-age=3600');
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
