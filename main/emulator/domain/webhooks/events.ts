import type { Queryable } from '../../db/index.js';
import { svixId } from './ids.js';

/** Channel notified (payload: the project id) when attempts are queued; the deliverer listens on it. */
export const WEBHOOK_CHANNEL = 'hexclave_webhooks';

/** The events upstream sends (its webhooks.tsx), each fired where upstream fires it. */
export type WebhookEventType =
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'team.created'
  | 'team.updated'
  | 'team.deleted'
  | 'team_membership.created'
  | 'team_membership.deleted'
  | 'team_permission.created'
  | 'team_permission.deleted'
  | 'project_permission.created'
  | 'project_permission.deleted';

export interface NewMessage {
  readonly eventType: string;
  readonly payload: unknown;
  readonly eventId?: string | null;
  readonly channels?: readonly string[] | null;
}

/**
 * Record a message and queue one attempt per enabled endpoint that takes its type, in the caller's transaction:
 * it exists (and is listed by the API) exactly when the change that caused it commits, and the notification that
 * wakes the deliverer is sent at commit too. Returns the message id.
 */
export async function recordMessage(db: Queryable, projectId: string, message: NewMessage): Promise<string> {
  const id = svixId('msg');
  await db.query(
    `WITH message AS (
       INSERT INTO "_hexclave_webhook_message" ("id", "projectId", "eventType", "eventId", "payload", "channels")
       VALUES ($1, $2, $3, $4, $5::json, $6) RETURNING "id"
     ), targets AS (
       SELECT e."id", e."url" FROM "_hexclave_webhook_endpoint" e
       WHERE e."projectId" = $2 AND NOT e."disabled"
         AND (e."filterTypes" IS NULL OR $3 = ANY (e."filterTypes"))
         AND (e."channels" IS NULL OR $6::text[] IS NULL OR e."channels" && $6::text[])
     ), queued AS (
       INSERT INTO "_hexclave_webhook_attempt" ("id", "messageId", "endpointId", "url")
       SELECT 'atmpt_' || substr(md5(random()::text || t."id"), 1, 27), (SELECT "id" FROM message), t."id", t."url"
       FROM targets t RETURNING 1
     )
     SELECT pg_notify('${WEBHOOK_CHANNEL}', $2) FROM (SELECT count(*) AS n FROM queued) q WHERE q.n > 0`,
    [
      id,
      projectId,
      message.eventType,
      message.eventId ?? null,
      JSON.stringify(message.payload),
      message.channels ?? null,
    ],
  );
  return id;
}

/**
 * Fire one of upstream's events for a project. Like upstream's Svix application, a project only records events
 * once webhooks are set up for it (an endpoint exists), so apps without webhooks pay one indexed lookup; `data` may
 * be a function, so the payload is only built when it will be sent.
 */
export async function fireWebhook(
  db: Queryable,
  projectId: string,
  type: WebhookEventType,
  data: unknown | (() => Promise<unknown>),
): Promise<void> {
  const { rows } = await db.query(
    `SELECT 1 FROM "_hexclave_webhook_endpoint" WHERE "projectId" = $1 LIMIT 1`,
    [projectId],
  );
  if (rows.length === 0) return;
  const payload = typeof data === 'function' ? await (data as () => Promise<unknown>)() : data;
  await recordMessage(db, projectId, { eventType: type, payload: { type, data: payload } });
}
