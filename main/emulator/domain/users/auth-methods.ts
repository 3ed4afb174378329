import type { Queryable } from '../../db/index.js';

/**
 * Create, change or remove the user's primary EMAIL channel. A new value starts unverified unless told
 * otherwise (upstream resets is_verified when the value changes).
 */
export async function setPrimaryEmail(
  db: Queryable,
  tenancyId: string,
  userId: string,
  write: { primaryEmail?: string | null; primaryEmailVerified?: boolean; primaryEmailAuthEnabled?: boolean },
): Promise<void> {
  const key = [tenancyId, userId];
  if (write.primaryEmail === null) {
    await db.query(
      `DELETE FROM "ContactChannel" WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "type" = 'EMAIL' AND "isPrimary" = 'TRUE'`,
      key,
    );
    return;
  }
  const usedForAuth = write.primaryEmailAuthEnabled === undefined ? null : write.primaryEmailAuthEnabled;
  const updated = await db.query(
    `UPDATE "ContactChannel" SET
       "value" = COALESCE($3::text, "value"),
       "isVerified" = COALESCE($4::boolean, CASE WHEN $3::text IS NOT NULL AND $3::text <> "value" THEN false ELSE "isVerified" END),
       "usedForAuth" = CASE WHEN $5::boolean IS NULL THEN "usedForAuth" WHEN $5 THEN 'TRUE'::"BooleanTrue" ELSE NULL END,
       "updatedAt" = now()
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "type" = 'EMAIL' AND "isPrimary" = 'TRUE'`,
    [...key, write.primaryEmail ?? null, write.primaryEmailVerified ?? null, usedForAuth],
  );
  if (updated.rowCount || write.primaryEmail === undefined) return;
  await db.query(
    `INSERT INTO "ContactChannel" ("tenancyId", "projectUserId", "type", "isPrimary", "usedForAuth", "isVerified", "value")
     VALUES ($1, $2, 'EMAIL', 'TRUE', CASE WHEN $3::boolean THEN 'TRUE'::"BooleanTrue" END, $4::boolean, $5::text)`,
    [...key, usedForAuth ?? false, write.primaryEmailVerified ?? false, write.primaryEmail],
  );
}

/** Set or replace the password auth method (AuthMethod + PasswordAuthMethod); null removes it. */
export async function setPassword(
  db: Queryable,
  tenancyId: string,
  userId: string,
  passwordHash: string | null,
): Promise<void> {
  const key = [tenancyId, userId];
  if (passwordHash === null) {
    await db.query(
      `DELETE FROM "AuthMethod" am USING "PasswordAuthMethod" pam
       WHERE pam."tenancyId" = $1 AND pam."projectUserId" = $2 AND am."tenancyId" = pam."tenancyId" AND am."id" = pam."authMethodId"`,
      key,
    );
    return;
  }
  const updated = await db.query(
    `UPDATE "PasswordAuthMethod" SET "passwordHash" = $3, "updatedAt" = now() WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
    [...key, passwordHash],
  );
  if (updated.rowCount) return;
  await db.query(
    `WITH method AS (
       INSERT INTO "AuthMethod" ("tenancyId", "projectUserId") VALUES ($1, $2) RETURNING "id"
     )
     INSERT INTO "PasswordAuthMethod" ("tenancyId", "authMethodId", "projectUserId", "passwordHash")
     SELECT $1, "id", $2, $3 FROM method`,
    [...key, passwordHash],
  );
}
