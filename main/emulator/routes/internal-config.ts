import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  type ConfigLevel,
  type ConfigOverride,
  invalidOverrideReason,
  patchOverride,
  readBranchSource,
  readOverride,
  resetOverrideKeys,
  writeBranchSource,
  writeOverride,
} from '../domain/projects/index.js';
import { StatusError } from '../errors/index.js';
import type { EmulatorEnv, RequestAuth } from '../wire/env.js';
import { json, success } from '../wire/respond.js';
import { ADMIN_ACCESS, requireAccess, SERVER_ACCESS } from '../wire/smart-request.js';
import { validate, validBody } from '../wire/validate.js';

/**
 * `/internal/config`: the rendered configuration (admin), and each override level read, replaced (`PUT`),
 * patched (`PATCH`, upstream's override semantics) and reset key by key. Server access may manage only the
 * branch level, as upstream allows.
 */
export const internalConfigRoutes = new Hono<EmulatorEnv>();

/** Top-level sections each level accepts (upstream's project / branch / environment config schemas). */
const PROJECT_SECTIONS = ['sourceOfTruth', 'project'];
const ORGANIZATION_SECTIONS = [
  'rbac',
  'apiKeys',
  'apps',
  'teams',
  'users',
  'onboarding',
  'domains',
  'auth',
  'emails',
  'payments',
  'dbSync',
  'dataVault',
  'analytics',
  'customDashboards',
  'workflows',
];

const levelOf = (c: Context<EmulatorEnv>, allowed: readonly ConfigLevel[]) =>
  validate(c, 'params', z.object({ level: z.enum(allowed as [ConfigLevel, ...ConfigLevel[]]) }), {
    level: c.req.param('level'),
  }).level;

const target = (auth: RequestAuth) => ({ projectId: auth.projectId, branchId: auth.branchId });

function assertLevelAccess(auth: RequestAuth, level: ConfigLevel): void {
  if (auth.type === 'server' && level !== 'branch') {
    throw new StatusError(403, 'Server access can only manage branch config overrides.');
  }
}

function parseOverride(text: string, level: ConfigLevel): ConfigOverride {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StatusError(400, 'Invalid config JSON');
  }
  const reason = invalidOverrideReason(parsed);
  if (reason) throw new StatusError(400, reason);
  const sections = level === 'project' ? PROJECT_SECTIONS : ORGANIZATION_SECTIONS;
  const unknown = Object.keys(parsed as ConfigOverride).filter(
    (key) => !sections.includes(key.split('.')[0]!),
  );
  if (unknown.length > 0) {
    throw new StatusError(
      400,
      `The ${level} config override contains keys that do not belong to the ${level} level: ${unknown.join(', ')}`,
    );
  }
  return parsed as ConfigOverride;
}

const branchSource = z.union([
  z.looseObject({ type: z.literal('pushed-from-github') }),
  z.strictObject({ type: z.literal('pushed-from-unknown') }),
  z.strictObject({ type: z.literal('unlinked') }),
]);

internalConfigRoutes.get('/internal/config', (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  return json(c, { config_string: JSON.stringify(auth.tenancy.config.raw) });
});

internalConfigRoutes.get('/internal/config/override/:level', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const level = levelOf(c, ['project', 'branch', 'environment']);
  assertLevelAccess(auth, level);
  const config = await readOverride(c.var.ctx.pool, level, target(auth));
  return json(c, { config_string: JSON.stringify(config) });
});

internalConfigRoutes.put('/internal/config/override/:level', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const level = levelOf(c, ['project', 'branch', 'environment']);
  assertLevelAccess(auth, level);
  const body = await validBody(
    c,
    z.strictObject({ config_string: z.string(), source: branchSource.optional() }),
  );
  const config = parseOverride(body.config_string, level);
  if (level === 'branch' && !body.source)
    throw new StatusError(400, 'source is required for branch level config');
  await writeOverride(
    c.var.ctx.pool,
    level,
    target(auth),
    config,
    level === 'branch' ? body.source : undefined,
  );
  c.var.ctx.projects.invalidate(auth.projectId);
  return success(c);
});

internalConfigRoutes.patch('/internal/config/override/:level', async (c) => {
  const auth = requireAccess(c, SERVER_ACCESS);
  const level = levelOf(c, ['project', 'branch', 'environment']);
  assertLevelAccess(auth, level);
  const body = await validBody(c, z.strictObject({ config_override_string: z.string() }));
  await patchOverride(c.var.ctx.pool, level, target(auth), parseOverride(body.config_override_string, level));
  c.var.ctx.projects.invalidate(auth.projectId);
  return success(c);
});

internalConfigRoutes.post('/internal/config/override/:level/reset-keys', async (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  const level = levelOf(c, ['branch', 'environment']);
  const body = await validBody(c, z.strictObject({ keys: z.array(z.string()) }));
  await resetOverrideKeys(c.var.ctx.pool, level, target(auth), body.keys);
  c.var.ctx.projects.invalidate(auth.projectId);
  return success(c);
});

internalConfigRoutes.get('/internal/config/source', async (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  return json(c, { source: await readBranchSource(c.var.ctx.pool, target(auth)) });
});

internalConfigRoutes.delete('/internal/config/source', async (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  await writeBranchSource(c.var.ctx.pool, target(auth), { type: 'unlinked' });
  c.var.ctx.projects.invalidate(auth.projectId);
  return success(c);
});
