import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAnalyticsBatch } from '../domain/analytics/index.js';
import { knownError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';
import { requireAccess } from '../wire/smart-request.js';
import { readBody, validate } from '../wire/validate.js';

/** `POST /analytics/events/batch`: the SDK's EventTracker flush (JSON, or gzip as application/octet-stream). */
export const analyticsRoutes = new Hono<EmulatorEnv>();

/** A compressed batch is at most this large once inflated; the SDK flushes long before. */
const MAX_INFLATED_BYTES = 4 * 1024 * 1024;

const batchBody = z.object({
  batch_id: z.string().max(200).optional(),
  sent_at_ms: z.number().optional(),
  events: z.array(z.looseObject({ event_type: z.string().max(200).optional() })).max(10_000),
});

async function batchOf(c: Parameters<typeof requireAccess>[0]): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/octet-stream') return (await readBody(c)) ?? {};
  const bytes = Buffer.from(await c.req.arrayBuffer());
  try {
    const text = gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
    return JSON.parse(text);
  } catch {
    throw knownError('BODY_PARSING_ERROR', 'The analytics batch is not gzip-compressed JSON.');
  }
}

analyticsRoutes.post('/analytics/events/batch', async (c) => {
  const auth = requireAccess(c);
  const body = validate(c, 'body', batchBody, await batchOf(c));
  const accepted = recordAnalyticsBatch(c.var.ctx, auth.projectId, body.events);
  return json(c, { accepted }, 200);
});
