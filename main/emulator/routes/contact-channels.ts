import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { isUniqueViolation, type Queryable, withTransaction } from '../db/index.js';
import { findUser } from '../domain/users/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json, success } from '../wire/respond.js';
import { type RequestAuth, requireAccess } from '../wire/smart-request.js';
import { validate, validBody, validQuery } from '../wire/validate.js';

export const contactChannelRoutes = new Hono<EmulatorEnv>();

const userIdOrMe = z.union([z.literal('me'), z.uuid()]);
const createBody = z.strictObject({
  user_id: userIdOrMe,
  value: z.email(),
  type: z.literal('email'),
  used_for_auth: z.boolean(),
  is_primary: z.boolean().optional(),
  is_verified: z.boolean().optional(),
});
const updateBody = z.strictObject({
  value: z.email().optional(),
  type: z.literal('email').optional(),
  used_for_auth: z.boolean().optional(),
  is_primary: z.boolean().optional(),
  is_verified: z.boolean().optional(),
});

interface ChannelRow {
  readonly id: string;
  readonly userId: string;
  readonly value: string;
  readonly isPrimary: boolean;
  readonly isVerified: boolean;
  readonly usedForAuth: boolean;
}

const CHANNEL_COLUMNS = `"id", "projectUserId" AS "userId", "value", "isPrimary" IS NOT NULL AS "isPrimary", "isVerified",
  "usedForAuth" IS NOT NULL AS "usedForAuth"`;

const channelJson = (row: ChannelRow) => ({
  user_id: row.userId,
  id: row.id,
  value: row.value,
  type: 'email',
  used_for_auth: row.usedForAuth,
  is_verified: row.isVerified,
  is_primary: row.isPrimary,
});

/** Resolve `me`, and keep clients to their own user as upstream does (403 with its wording). */
function ownerId(auth: RequestAuth, raw: string, verb: string): string {
  const userId = raw === 'me' ? (auth.user?.id ?? null) : raw;
  if (auth.type === 'client') {
    if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
    if (userId !== auth.user.id)
      throw new StatusError(403, `Client can only ${verb} contact channels for their own user.`);
  }
  if (!userId) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
  return userId;
}

function pathIds(c: Context<EmulatorEnv>) {
  return validate(c, 'params', z.object({ user_id: userIdOrMe, contact_channel_id: z.uuid() }), {
    user_id: c.req.param('userId'),
    contact_channel_id: c.req.param('channelId'),
  });
}

async function rows(
  db: Queryable,
  tenancyId: string,
  userId: string,
  channelId?: string,
): Promise<ChannelRow[]> {
  const result = await db.query<ChannelRow>(
    `SELECT ${CHANNEL_COLUMNS} FROM "ContactChannel"
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND ($3::uuid IS NULL OR "id" = $3) ORDER BY "createdAt"`,
    [tenancyId, userId, channelId ?? null],
  );
  return result.rows;
}

function rethrowTaken(error: unknown, value: string): never {
  if (isUniqueViolation(error, 'ContactChannel_tenancyId_type_value_usedForAuth_key')) {
    throw knownError('CONTACT_CHANNEL_ALREADY_USED_FOR_AUTH_BY_SOMEONE_ELSE', 'email', value);
  }
  if (isUniqueViolation(error, 'ContactChannel_tenancyId_projectUserId_type_value_key')) {
    throw new StatusError(400, 'Contact channel already exists');
  }
  throw error;
}

contactChannelRoutes.get('/contact-channels', async (c) => {
  const auth = requireAccess(c);
  const query = validQuery(
    c,
    z.looseObject({ user_id: userIdOrMe.optional(), contact_channel_id: z.uuid().optional() }),
  );
  const userId = ownerId(auth, query.user_id ?? 'me', 'list');
  const items = await rows(c.var.ctx.pool, auth.tenancyId, userId, query.contact_channel_id);
  return json(c, { items: items.map(channelJson), is_paginated: false });
});

contactChannelRoutes.post('/contact-channels', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, createBody);
  const userId = ownerId(auth, body.user_id, 'create');
  if (auth.type === 'client' && body.is_verified !== undefined)
    throw knownError('SCHEMA_ERROR', 'is_verified can only be set by a server.');
  if (!(await findUser(c.var.ctx.pool, auth.tenancyId, userId))) throw knownError('USER_NOT_FOUND');
  const created = await withTransaction(c.var.ctx.pool, async (tx) => {
    if (body.is_primary) {
      await tx.query(
        `UPDATE "ContactChannel" SET "isPrimary" = NULL WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
        [auth.tenancyId, userId],
      );
    }
    const inserted = await tx
      .query<ChannelRow>(
        `INSERT INTO "ContactChannel" ("tenancyId", "projectUserId", "type", "value", "isVerified", "usedForAuth", "isPrimary")
         VALUES ($1, $2, 'EMAIL', $3, $4, CASE WHEN $5::boolean THEN 'TRUE'::"BooleanTrue" END,
                 CASE WHEN $6::boolean THEN 'TRUE'::"BooleanTrue" END)
         RETURNING ${CHANNEL_COLUMNS}`,
        [
          auth.tenancyId,
          userId,
          body.value,
          body.is_verified ?? false,
          body.used_for_auth,
          body.is_primary ?? false,
        ],
      )
      .catch((error) => rethrowTaken(error, body.value));
    return inserted.rows[0]!;
  });
  return json(c, channelJson(created), 201);
});

contactChannelRoutes.get('/contact-channels/:userId/:channelId', async (c) => {
  const auth = requireAccess(c);
  const ids = pathIds(c);
  const [row] = await rows(
    c.var.ctx.pool,
    auth.tenancyId,
    ownerId(auth, ids.user_id, 'read'),
    ids.contact_channel_id,
  );
  if (!row) throw new StatusError(404, 'Contact channel not found.');
  return json(c, channelJson(row));
});

contactChannelRoutes.patch('/contact-channels/:userId/:channelId', async (c) => {
  const auth = requireAccess(c);
  const ids = pathIds(c);
  const userId = ownerId(auth, ids.user_id, 'update');
  const body = await validBody(c, updateBody);
  if (auth.type === 'client' && body.is_verified !== undefined)
    throw knownError('SCHEMA_ERROR', 'is_verified can only be set by a server.');
  const updated = await withTransaction(c.var.ctx.pool, async (tx) => {
    const [existing] = await rows(tx, auth.tenancyId, userId, ids.contact_channel_id);
    if (!existing) throw new StatusError(400, 'Contact channel not found');
    if (body.is_primary) {
      await tx.query(
        `UPDATE "ContactChannel" SET "isPrimary" = NULL WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
        [auth.tenancyId, userId],
      );
    }
    const result = await tx
      .query<ChannelRow>(
        `UPDATE "ContactChannel" SET
           "value" = COALESCE($4::text, "value"),
           "isVerified" = COALESCE($5::boolean, CASE WHEN $4::text IS NOT NULL AND $4::text <> "value" THEN false ELSE "isVerified" END),
           "usedForAuth" = CASE WHEN $6::boolean IS NULL THEN "usedForAuth" WHEN $6 THEN 'TRUE'::"BooleanTrue" END,
           "isPrimary" = CASE WHEN $7::boolean IS NULL THEN "isPrimary" WHEN $7 THEN 'TRUE'::"BooleanTrue" END,
           "updatedAt" = now()
         WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "id" = $3 RETURNING ${CHANNEL_COLUMNS}`,
        [
          auth.tenancyId,
          userId,
          ids.contact_channel_id,
          body.value ?? null,
          body.is_verified ?? null,
          body.used_for_auth ?? null,
          body.is_primary ?? null,
        ],
      )
      .catch((error) => rethrowTaken(error, body.value ?? existing.value));
    return result.rows[0]!;
  });
  return json(c, channelJson(updated));
});

contactChannelRoutes.delete('/contact-channels/:userId/:channelId', async (c) => {
  const auth = requireAccess(c);
  const ids = pathIds(c);
  const { rowCount } = await c.var.ctx.pool.query(
    `DELETE FROM "ContactChannel" WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "id" = $3`,
    [auth.tenancyId, ownerId(auth, ids.user_id, 'delete'), ids.contact_channel_id],
  );
  if (!rowCount) throw new StatusError(400, 'Contact channel not found');
  return success(c);
});
