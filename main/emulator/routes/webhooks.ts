import { Hono } from 'hono';
import { z } from 'zod';
import { issueToken } from '../domain/webhooks/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { ADMIN_ACCESS, requireAccess } from '../wire/smart-request.js';
import { validBody } from '../wire/validate.js';

/**
 * Upstream's `/webhooks/svix-token`: a token for the Svix API, scoped to the caller's project. Upstream asks its
 * Svix server for an app-portal token; the emulator issues one for its own Svix-compatible API. Like upstream with
 * a self-hosted Svix server, it answers without a portal `url`.
 */
export const webhookRoutes = new Hono<EmulatorEnv>();

webhookRoutes.post('/webhooks/svix-token', async (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  await validBody(c, z.looseObject({}));
  return json(c, { token: await issueToken(c.var.ctx.pool, auth.projectId) }, 201);
});
