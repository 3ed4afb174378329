import { Hono } from 'hono';
import type { EmulatorContext } from '../context.js';

/** `GET /health` (outside /api): its own wildcard CORS and `{"status":"ok"}`; `?db=1` also pings Postgres. */
export function healthRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  app.get('/health', async (c) => {
    if (c.req.query('db') === '1') await ctx.pool.query('SELECT 1');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Access-Control-Allow-Methods', '*');
    c.header('Access-Control-Allow-Headers', '*');
    c.header('Access-Control-Expose-Headers', '*');
    return c.json({ status: 'ok' });
  });
  return app;
}
