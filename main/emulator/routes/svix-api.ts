import { type Context, Hono } from 'hono';
import type pg from 'pg';
import { z } from 'zod';
import {
  type Attempt,
  createEndpoint,
  deleteEndpoint,
  type Endpoint,
  type EndpointWrite,
  findEndpoint,
  findMessage,
  listAttempts,
  listEndpoints,
  listMessages,
  type Message,
  type Page,
  projectForToken,
  queueResend,
  recordMessage,
  updateEndpoint,
} from '../domain/webhooks/index.js';

/**
 * The part of Svix's REST API (`/api/v1/app/{app_id}/…`) that upstream's tests, its dashboard and the `svix` SDK
 * use to see where a project's webhooks went: endpoints, messages, delivery attempts, resend. An app is a project
 * (upstream names its Svix app after the project id); a bearer token from `/webhooks/svix-token` opens its own
 * project's app only. Errors are Svix's JSON (`{code, detail}`, 422 `{detail: [{loc, msg, type}]}`).
 */
type SvixEnv = { Variables: { projectId: string } };

class SvixError extends Error {
  constructor(
    readonly status: 401 | 404 | 409 | 422,
    readonly body: unknown,
  ) {
    super(typeof body === 'object' && body && 'detail' in body ? String(body.detail) : 'Svix error');
  }
}

const notFound = () => new SvixError(404, { code: 'not_found', detail: 'Entity not found' });
const unauthorized = () =>
  new SvixError(401, { code: 'authentication_failed', detail: 'Invalid token for this application.' });

const iso = (millis: number) => new Date(millis).toISOString();

function endpointJson(endpoint: Endpoint) {
  return {
    id: endpoint.id,
    uid: endpoint.uid,
    url: endpoint.url,
    description: endpoint.description,
    version: 1,
    rateLimit: null,
    disabled: endpoint.disabled,
    filterTypes: endpoint.filterTypes,
    channels: endpoint.channels,
    metadata: endpoint.metadata,
    createdAt: iso(endpoint.createdAtMillis),
    updatedAt: iso(endpoint.updatedAtMillis),
  };
}

/** Exactly Svix's MessageOut fields (upstream's tests snapshot the whole object). */
function messageJson(message: Message, withContent: boolean) {
  return {
    id: message.id,
    eventType: message.eventType,
    eventId: message.eventId,
    payload: withContent ? message.payload : {},
    channels: message.channels,
    timestamp: iso(message.createdAtMillis),
  };
}

function attemptJson(attempt: Attempt) {
  return {
    id: attempt.id,
    msgId: attempt.messageId,
    endpointId: attempt.endpointId,
    url: attempt.url,
    response: attempt.response,
    responseStatusCode: attempt.responseStatusCode,
    responseDurationMs: attempt.responseDurationMs,
    status: attempt.status,
    triggerType: attempt.triggerType,
    timestamp: iso(attempt.createdAtMillis),
  };
}

function listJson<T>(page: Page<T>, view: (item: T) => unknown) {
  return {
    data: page.items.map(view),
    iterator: page.nextIterator,
    prevIterator: null,
    done: !page.nextIterator,
  };
}

const pageQuery = z.looseObject({
  limit: z.coerce.number().int().min(1).max(250).default(50),
  iterator: z.string().optional(),
  with_content: z.enum(['true', 'false']).default('true'),
  status: z.coerce.number().int().min(0).max(3).optional(),
  endpoint_id: z.string().optional(),
});

const stringList = z.array(z.string().min(1).max(256)).max(1000);
const httpUrl = z.url({ protocol: /^https?$/ }).max(65536);
const endpointBase = {
  uid: z.string().min(1).max(256).nullable().optional(),
  description: z.string().max(65536).optional(),
  filterTypes: stringList.nullable().optional(),
  channels: stringList.nullable().optional(),
  disabled: z.boolean().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  version: z.number().optional(),
  rateLimit: z.number().nullable().optional(),
};
const endpointCreate = z.looseObject({
  ...endpointBase,
  url: httpUrl,
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{32,100}$/)
    .nullable()
    .optional(),
});
const endpointPatch = z.looseObject({ ...endpointBase, url: httpUrl.optional() });
const messageCreate = z.looseObject({
  eventType: z.string().min(1).max(256),
  payload: z.record(z.string(), z.unknown()),
  eventId: z.string().min(1).max(256).nullable().optional(),
  channels: stringList.nullable().optional(),
});

function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new SvixError(422, {
    detail: result.error.issues.map((issue) => ({
      loc: [where, ...issue.path.map(String)],
      msg: issue.message,
      type: 'value_error',
    })),
  });
}

async function body<S extends z.ZodType>(c: Context<SvixEnv>, schema: S): Promise<z.output<S>> {
  let value: unknown;
  try {
    value = await c.req.json();
  } catch {
    throw new SvixError(422, { detail: [{ loc: ['body'], msg: 'Invalid JSON body.', type: 'value_error' }] });
  }
  // Postgres cannot store a NUL character: refuse it here, as a 422, never a 500.
  if (JSON.stringify(value).includes('\\u0000'))
    throw new SvixError(422, {
      detail: [{ loc: ['body'], msg: 'NUL characters are not allowed.', type: 'value_error' }],
    });
  return parse(schema, value, 'body');
}

function toWrite(input: z.output<typeof endpointPatch> & { secret?: string | null }): EndpointWrite {
  return {
    url: input.url,
    uid: input.uid,
    description: input.description,
    filterTypes: input.filterTypes?.length === 0 ? null : input.filterTypes,
    channels: input.channels?.length === 0 ? null : input.channels,
    disabled: input.disabled,
    metadata: input.metadata,
    secret: input.secret ?? undefined,
  };
}

export function createSvixApi(pool: pg.Pool): Hono {
  const app = new Hono<SvixEnv>();
  app.onError((error, c) => {
    if (error instanceof SvixError) return c.json(error.body, error.status);
    return c.json({ code: 'server_error', detail: 'The emulator could not answer this request.' }, 500);
  });
  app.notFound((c) => c.json({ code: 'not_found', detail: 'Not found' }, 404));

  // Every app-scoped route: the bearer token's project must be the app addressed.
  const authorize = async (c: Context<SvixEnv>) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const projectId = token ? await projectForToken(pool, token) : null;
    if (!projectId || projectId !== c.req.param('app')) throw unauthorized();
    return projectId;
  };
  app.use('/api/v1/app/:app/*', async (c, next) => {
    c.set('projectId', await authorize(c));
    await next();
  });
  app.get('/api/v1/app/:app', async (c) => {
    const projectId = c.var.projectId ?? (await authorize(c));
    const { rows } = await pool.query<{ created: number; updated: number }>(
      `SELECT floor(extract(epoch from "createdAt") * 1000)::float8 AS "created",
         floor(extract(epoch from "updatedAt") * 1000)::float8 AS "updated" FROM "Project" WHERE "id" = $1`,
      [projectId],
    );
    const project = rows[0];
    if (!project) throw notFound();
    return c.json({
      id: projectId,
      uid: projectId,
      name: projectId,
      rateLimit: null,
      metadata: {},
      createdAt: iso(project.created),
      updatedAt: iso(project.updated),
    });
  });

  const endpointOf = async (c: Context<SvixEnv>) => {
    const endpoint = await findEndpoint(pool, c.var.projectId, c.req.param('endpoint') ?? '');
    if (!endpoint) throw notFound();
    return endpoint;
  };
  const messageOf = async (c: Context<SvixEnv>) => {
    const message = await findMessage(pool, c.var.projectId, c.req.param('msg') ?? '');
    if (!message) throw notFound();
    return message;
  };

  app.get('/api/v1/app/:app/endpoint', async (c) => {
    const query = parse(pageQuery, c.req.query(), 'query');
    const page = await listEndpoints(pool, c.var.projectId, {
      limit: query.limit,
      iterator: query.iterator ?? null,
    });
    return c.json(listJson(page, endpointJson));
  });
  app.post('/api/v1/app/:app/endpoint', async (c) => {
    const input = await body(c, endpointCreate);
    if (input.uid && (await findEndpoint(pool, c.var.projectId, input.uid)))
      throw new SvixError(409, { code: 'conflict', detail: 'An endpoint with this uid already exists.' });
    const endpoint = await createEndpoint(pool, c.var.projectId, { ...toWrite(input), url: input.url });
    return c.json(endpointJson(endpoint), 201);
  });
  app.get('/api/v1/app/:app/endpoint/:endpoint', async (c) => c.json(endpointJson(await endpointOf(c))));
  const update = async (c: Context<SvixEnv>, schema: typeof endpointPatch | typeof endpointCreate) => {
    const endpoint = await endpointOf(c);
    const input = await body(c, schema);
    const updated = await updateEndpoint(pool, c.var.projectId, endpoint.id, toWrite(input));
    if (!updated) throw notFound();
    return c.json(endpointJson(updated));
  };
  app.put('/api/v1/app/:app/endpoint/:endpoint', (c) => update(c, endpointCreate));
  app.patch('/api/v1/app/:app/endpoint/:endpoint', (c) => update(c, endpointPatch));
  app.delete('/api/v1/app/:app/endpoint/:endpoint', async (c) => {
    const endpoint = await endpointOf(c);
    await deleteEndpoint(pool, c.var.projectId, endpoint.id);
    return c.body(null, 204);
  });
  app.get('/api/v1/app/:app/endpoint/:endpoint/secret', async (c) =>
    c.json({ key: (await endpointOf(c)).secret }),
  );

  app.post('/api/v1/app/:app/msg', async (c) => {
    const input = await body(c, messageCreate);
    const id = await recordMessage(pool, c.var.projectId, {
      eventType: input.eventType,
      payload: input.payload,
      eventId: input.eventId,
      channels: input.channels?.length ? input.channels : null,
    });
    const message = await findMessage(pool, c.var.projectId, id);
    return c.json(messageJson(message!, true), 202);
  });
  app.get('/api/v1/app/:app/msg', async (c) => {
    const query = parse(pageQuery, c.req.query(), 'query');
    const eventTypes = c.req.queries('event_types');
    const page = await listMessages(pool, c.var.projectId, {
      limit: query.limit,
      iterator: query.iterator ?? null,
      eventTypes,
    });
    return c.json(listJson(page, (m) => messageJson(m, query.with_content === 'true')));
  });
  app.get('/api/v1/app/:app/msg/:msg', async (c) => {
    const query = parse(pageQuery, c.req.query(), 'query');
    return c.json(messageJson(await messageOf(c), query.with_content === 'true'));
  });
  app.post('/api/v1/app/:app/msg/:msg/endpoint/:endpoint/resend', async (c) => {
    const message = await messageOf(c);
    await queueResend(pool, c.var.projectId, message.id, await endpointOf(c));
    return c.body(null, 202);
  });

  app.get('/api/v1/app/:app/attempt/endpoint/:endpoint', async (c) => {
    const query = parse(pageQuery, c.req.query(), 'query');
    const endpoint = await endpointOf(c);
    const page = await listAttempts(
      pool,
      { endpointId: endpoint.id, status: query.status },
      { limit: query.limit, iterator: query.iterator ?? null },
    );
    return c.json(listJson(page, attemptJson));
  });
  app.get('/api/v1/app/:app/attempt/msg/:msg', async (c) => {
    const query = parse(pageQuery, c.req.query(), 'query');
    const message = await messageOf(c);
    let endpointId: string | undefined;
    if (query.endpoint_id) {
      const endpoint = await findEndpoint(pool, c.var.projectId, query.endpoint_id);
      if (!endpoint) throw notFound();
      endpointId = endpoint.id;
    }
    const page = await listAttempts(
      pool,
      { messageId: message.id, endpointId, status: query.status },
      { limit: query.limit, iterator: query.iterator ?? null },
    );
    return c.json(listJson(page, attemptJson));
  });
  return app as unknown as Hono;
}
