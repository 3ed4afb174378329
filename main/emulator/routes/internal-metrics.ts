import { Hono } from 'hono';
import { z } from 'zod';
import { loadUserMetrics } from '../domain/metrics/index.js';
import { serverUserJson } from '../domain/users/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { ADMIN_ACCESS, requireAccess } from '../wire/smart-request.js';
import { validQuery } from '../wire/validate.js';

/**
 * `GET /internal/metrics` (admin): the project's user metrics as upstream's dashboard reads them. Upstream's
 * auth, payments, e-mail and analytics overviews come from services the emulator does not run, so they are
 * absent rather than zero.
 */
export const internalMetricsRoutes = new Hono<EmulatorEnv>();

const metricsQuery = z.object({ include_anonymous: z.enum(['true', 'false']).optional() });

internalMetricsRoutes.get('/internal/metrics', async (c) => {
  const auth = requireAccess(c, ADMIN_ACCESS);
  const query = validQuery(c, metricsQuery);
  const metrics = await loadUserMetrics(c.var.ctx.pool, auth.tenancyId, query.include_anonymous === 'true');
  const user = (record: (typeof metrics.recentlyActive)[number]) =>
    serverUserJson(record, auth.tenancy.config);
  return json(c, {
    total_users: metrics.totalUsers,
    daily_users: metrics.dailyUsers,
    daily_active_users: metrics.dailyActiveUsers,
    users_by_country: metrics.usersByCountry,
    recently_registered: metrics.recentlyRegistered.map(user),
    recently_active: metrics.recentlyActive.map(user),
    login_methods: metrics.loginMethods,
  });
});
