import type { Queryable } from '../../db/index.js';

/** One of a user's e-mail channels, by id: its address and whether it is verified. */
export async function findEmailChannel(
  db: Queryable,
  tenancyId: string,
  userId: string,
  channelId: string,
): Promise<{ value: string; isVerified: boolean } | null> {
  const { rows } = await db.query<{ value: string; isVerified: boolean }>(
    `SELECT "value", "isVerified" FROM "ContactChannel"
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "id" = $3 AND "type" = 'EMAIL'`,
    [tenancyId, userId, channelId],
  );
  return rows[0] ?? null;
}

/** Mark the user's channel with this address verified; false when it no longer exists. */
export async function markEmailVerified(
  db: Queryable,
  tenancyId: string,
  userId: string,
  email: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE "ContactChannel" SET "isVerified" = true, "updatedAt" = now()
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "type" = 'EMAIL' AND "value" = $3`,
    [tenancyId, userId, email],
  );
  return (rowCount ?? 0) > 0;
}
