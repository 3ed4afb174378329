import { Hono } from 'hono';
import { z } from 'zod';
import {
  createApiKeySet,
  createdApiKeySetJson,
  listApiKeySets,
  obfuscatedApiKeySetJson,
  readApiKeySet,
  updateApiKeySet,
} from '../domain/projects/index.js';
import { knownError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { ADMIN_ACCESS, requireAccess } from '../wire/smart-request.js';
import { validate, validBody } from '../wire/validate.js';

/** `/internal/api-keys`: a project's key sets (admin). The full keys are shown once, in the create answer. */
export const internalApiKeyRoutes = new Hono<EmulatorEnv>();

const createBody = z.strictObject({
  description: z.string(),
  expires_at_millis: z.number(),
  has_publishable_client_key: z.boolean(),
  has_secret_server_key: z.boolean(),
  has_super_secret_admin_key: z.boolean(),
});
const updateBody = z.strictObject({
  description: z.string().optional(),
  revoked: z.literal(true).optional(),
});

internalApiKeyRoutes.get('/internal/api-keys', async (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  const sets = await listApiKeySets(c.var.ctx.pool, auth.projectId);
  return json(c, { items: sets.map(obfuscatedApiKeySetJson), is_paginated: false });
});

internalApiKeyRoutes.post('/internal/api-keys', async (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  const body = await validBody(c, createBody);
  const set = await createApiKeySet(c.var.ctx.pool, auth.projectId, {
    description: body.description,
    expiresAtMillis: body.expires_at_millis,
    publishableClientKey: body.has_publishable_client_key,
    secretServerKey: body.has_secret_server_key,
    superSecretAdminKey: body.has_super_secret_admin_key,
  });
  c.var.ctx.projects.invalidate(auth.projectId);
  return json(c, createdApiKeySetJson(set));
});

const keyId = (c: Parameters<typeof validate>[0]) =>
  validate(c, 'params', z.object({ api_key_id: z.uuid() }), { api_key_id: c.req.param('keyId') }).api_key_id;

internalApiKeyRoutes.get('/internal/api-keys/:keyId', async (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  const set = await readApiKeySet(c.var.ctx.pool, auth.projectId, keyId(c));
  if (!set) throw knownError('API_KEY_NOT_FOUND');
  return json(c, obfuscatedApiKeySetJson(set));
});

internalApiKeyRoutes.patch('/internal/api-keys/:keyId', async (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  const id = keyId(c);
  const body = await validBody(c, updateBody);
  const set = await updateApiKeySet(c.var.ctx.pool, auth.projectId, id, {
    description: body.description,
    revoke: body.revoked,
  });
  if (!set) throw knownError('API_KEY_NOT_FOUND');
  c.var.ctx.projects.invalidate(auth.projectId);
  return json(c, obfuscatedApiKeySetJson(set));
});
