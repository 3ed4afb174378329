import type { Queryable } from '../../db/index.js';
import { WEBHOOK_CHANNEL } from './events.js';
import { hashApiToken, newApiToken, newEndpointSecret, svixId } from './ids.js';

/** Svix's MessageStatus. */
export const AttemptStatus = { success: 0, pending: 1, fail: 2, sending: 3 } as const;

export interface Endpoint {
  readonly id: string;
  readonly uid: string | null;
  readonly url: string;
  readonly description: string;
  readonly secret: string;
  readonly filterTypes: string[] | null;
  readonly channels: string[] | null;
  readonly disabled: boolean;
  readonly metadata: Record<string, string>;
  readonly createdAtMillis: number;
  readonly updatedAtMillis: number;
}

export interface Message {
  readonly id: string;
  readonly eventType: string;
  readonly eventId: string | null;
  readonly payload: unknown;
  readonly channels: string[] | null;
  readonly createdAtMillis: number;
}

export interface Attempt {
  readonly id: string;
  readonly messageId: string;
  readonly endpointId: string;
  readonly url: string;
  readonly status: number;
  readonly responseStatusCode: number;
  readonly response: string;
  readonly responseDurationMs: number;
  readonly triggerType: number;
  readonly createdAtMillis: number;
}

/** One page, newest first: `nextIterator` is the id to continue after, null on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextIterator: string | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly iterator: string | null;
}

export interface EndpointWrite {
  readonly url?: string;
  readonly uid?: string | null;
  readonly description?: string;
  readonly filterTypes?: string[] | null;
  readonly channels?: string[] | null;
  readonly disabled?: boolean;
  readonly metadata?: Record<string, string>;
  readonly secret?: string;
}

const millis = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8`;
const ENDPOINT = `"id", "uid", "url", "description", "secret", "filterTypes", "channels", "disabled", "metadata",
  ${millis('"createdAt"')} AS "createdAtMillis", ${millis('"updatedAt"')} AS "updatedAtMillis"`;
const MESSAGE = `"id", "eventType", "eventId", "payload", "channels", ${millis('"createdAt"')} AS "createdAtMillis"`;
const ATTEMPT = `"id", "messageId", "endpointId", "url", "status", "responseStatusCode", "response",
  "responseDurationMs", "triggerType", ${millis('"createdAt"')} AS "createdAtMillis"`;

/**
 * Keyset pages by insertion order, newest first. `where` filters with $1…$n (`values`); the iterator is the id of
 * the last row of the previous page.
 */
async function page<T extends { id: string }>(
  db: Queryable,
  table: string,
  columns: string,
  where: string,
  values: unknown[],
  request: PageRequest,
): Promise<Page<T>> {
  const iteratorParam = values.length + 1;
  const limitParam = values.length + 2;
  const { rows } = await db.query<T>(
    `SELECT ${columns} FROM "${table}"
     WHERE ${where} AND ($${iteratorParam}::text IS NULL
       OR "seq" < (SELECT "seq" FROM "${table}" WHERE "id" = $${iteratorParam}))
     ORDER BY "seq" DESC LIMIT $${limitParam}`,
    [...values, request.iterator, request.limit + 1],
  );
  const items = rows.slice(0, request.limit);
  return { items, nextIterator: rows.length > request.limit ? items[items.length - 1]!.id : null };
}

/** The project a token of the Svix-compatible API belongs to; null for an unknown token. */
export async function projectForToken(db: Queryable, token: string): Promise<string | null> {
  const { rows } = await db.query<{ projectId: string }>(
    `SELECT "projectId" FROM "_hexclave_webhook_token" WHERE "tokenHash" = $1`,
    [hashApiToken(token)],
  );
  return rows[0]?.projectId ?? null;
}

export async function issueToken(db: Queryable, projectId: string): Promise<string> {
  const { token, hash } = newApiToken();
  await db.query(`INSERT INTO "_hexclave_webhook_token" ("tokenHash", "projectId") VALUES ($1, $2)`, [
    hash,
    projectId,
  ]);
  return token;
}

export async function createEndpoint(
  db: Queryable,
  projectId: string,
  write: EndpointWrite & { url: string },
): Promise<Endpoint> {
  const { rows } = await db.query<Endpoint>(
    `INSERT INTO "_hexclave_webhook_endpoint"
       ("id", "projectId", "uid", "url", "description", "secret", "filterTypes", "channels", "disabled", "metadata")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${ENDPOINT}`,
    [
      svixId('ep'),
      projectId,
      write.uid ?? null,
      write.url,
      write.description ?? '',
      write.secret ?? newEndpointSecret(),
      write.filterTypes ?? null,
      write.channels ?? null,
      write.disabled ?? false,
      JSON.stringify(write.metadata ?? {}),
    ],
  );
  return rows[0]!;
}

/** By id or uid, as Svix resolves `{endpoint_id}`. */
export async function findEndpoint(
  db: Queryable,
  projectId: string,
  idOrUid: string,
): Promise<Endpoint | null> {
  const { rows } = await db.query<Endpoint>(
    `SELECT ${ENDPOINT} FROM "_hexclave_webhook_endpoint"
     WHERE "projectId" = $1 AND ("id" = $2 OR "uid" = $2) ORDER BY "id" = $2 DESC LIMIT 1`,
    [projectId, idOrUid],
  );
  return rows[0] ?? null;
}

export function listEndpoints(db: Queryable, projectId: string, request: PageRequest) {
  return page<Endpoint>(db, '_hexclave_webhook_endpoint', ENDPOINT, '"projectId" = $1', [projectId], request);
}

const ENDPOINT_COLUMNS: Record<keyof EndpointWrite, string> = {
  url: 'url',
  uid: 'uid',
  description: 'description',
  filterTypes: 'filterTypes',
  channels: 'channels',
  disabled: 'disabled',
  metadata: 'metadata',
  secret: 'secret',
};

/** Set the given fields; null when there is no such endpoint. */
export async function updateEndpoint(
  db: Queryable,
  projectId: string,
  id: string,
  write: EndpointWrite,
): Promise<Endpoint | null> {
  const values: unknown[] = [projectId, id];
  const sets = [`"updatedAt" = now() AT TIME ZONE 'UTC'`];
  for (const [key, column] of Object.entries(ENDPOINT_COLUMNS) as [keyof EndpointWrite, string][]) {
    const value = write[key];
    if (value === undefined) continue;
    values.push(key === 'metadata' ? JSON.stringify(value) : value);
    sets.push(`"${column}" = $${values.length}`);
  }
  const { rows } = await db.query<Endpoint>(
    `UPDATE "_hexclave_webhook_endpoint" SET ${sets.join(', ')} WHERE "projectId" = $1 AND "id" = $2
     RETURNING ${ENDPOINT}`,
    values,
  );
  return rows[0] ?? null;
}

export async function deleteEndpoint(db: Queryable, projectId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `DELETE FROM "_hexclave_webhook_endpoint" WHERE "projectId" = $1 AND "id" = $2`,
    [projectId, id],
  );
  return (rowCount ?? 0) > 0;
}

export async function findMessage(db: Queryable, projectId: string, id: string): Promise<Message | null> {
  const { rows } = await db.query<Message>(
    `SELECT ${MESSAGE} FROM "_hexclave_webhook_message" WHERE "projectId" = $1 AND ("id" = $2 OR "eventId" = $2)
     ORDER BY "id" = $2 DESC, "seq" DESC LIMIT 1`,
    [projectId, id],
  );
  return rows[0] ?? null;
}

export function listMessages(
  db: Queryable,
  projectId: string,
  request: PageRequest & { eventTypes?: string[] },
) {
  return page<Message>(
    db,
    '_hexclave_webhook_message',
    MESSAGE,
    `"projectId" = $1 AND ($2::text[] IS NULL OR "eventType" = ANY ($2))`,
    [projectId, request.eventTypes?.length ? request.eventTypes : null],
    request,
  );
}

export function listAttempts(
  db: Queryable,
  filter: { endpointId?: string; messageId?: string; status?: number },
  request: PageRequest,
) {
  return page<Attempt>(
    db,
    '_hexclave_webhook_attempt',
    ATTEMPT,
    `($1::text IS NULL OR "endpointId" = $1) AND ($2::text IS NULL OR "messageId" = $2)
     AND ($3::int IS NULL OR "status" = $3)`,
    [filter.endpointId ?? null, filter.messageId ?? null, filter.status ?? null],
    request,
  );
}

/** Queue a manual re-delivery of a message to one endpoint (Svix's resend). */
export async function queueResend(db: Queryable, projectId: string, messageId: string, endpoint: Endpoint) {
  await db.query(
    `INSERT INTO "_hexclave_webhook_attempt" ("id", "messageId", "endpointId", "url", "triggerType")
     VALUES ($1, $2, $3, $4, 1)`,
    [svixId('atmpt'), messageId, endpoint.id, endpoint.url],
  );
  await db.query(`SELECT pg_notify('${WEBHOOK_CHANNEL}', $1)`, [projectId]);
}
