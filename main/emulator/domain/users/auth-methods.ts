import type { Queryable } from '../../db/index.js';

const authFlag = (on: boolean) => (on ? 'TRUE' : null);

/** The user's primary EMAIL channel as it is now. */
export async function currentPrimaryEmail(db: Queryable, tenancyId: string, userId: string) {
  const { rows } = await db.query<{ value: string; isVerified: boolean; usedForAuth: boolean }>(
    `SELECT "value", "isVerified", "usedForAuth" IS NOT NULL AS "usedForAuth" FROM "ContactChannel"
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "type" = 'EMAIL' AND "isPrimary" = 'TRUE'`,
    [tenancyId, userId],
  );
  return rows[0] ?? null;
}

/** Whether some user's EMAIL channel with this value is used for sign-in (values are unique among those). */
export async function isEmailUsedForAuth(db: Queryable, tenancyId: string, email: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM "ContactChannel" WHERE "tenancyId" = $1 AND "type" = 'EMAIL' AND "value" = $2 AND "usedForAuth" = 'TRUE'`,
    [tenancyId, email],
  );
  return (rowCount ?? 0) > 0;
}

/** Make none of the user's e-mail channels primary; the channels themselves stay. */
export async function demotePrimaryEmail(db: Queryable, tenancyId: string, userId: string): Promise<void> {
  await db.query(
    `UPDATE "ContactChannel" SET "isPrimary" = NULL, "updatedAt" = now()
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "type" = 'EMAIL' AND "isPrimary" = 'TRUE'`,
    [tenancyId, userId],
  );
}

/**
 * Make `email` the user's primary e-mail, as upstream's users CRUD does: an existing channel of the user with
 * that value is promoted (keeping its verification unless `verified` is given), otherwise a new channel is made
 * (unverified unless told otherwise). The previous primary channel stays as a non-primary one.
 */
export async function makePrimaryEmail(
  db: Queryable,
  tenancyId: string,
  userId: string,
  email: string,
  options: { usedForAuth: boolean; verified: boolean | undefined },
): Promise<void> {
  await demotePrimaryEmail(db, tenancyId, userId);
  const promoted = await db.query(
    `UPDATE "ContactChannel" SET "isPrimary" = 'TRUE', "usedForAuth" = $4::"BooleanTrue",
       "isVerified" = COALESCE($5::boolean, "isVerified"), "updatedAt" = now()
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "type" = 'EMAIL' AND "value" = $3`,
    [tenancyId, userId, email, authFlag(options.usedForAuth), options.verified ?? null],
  );
  if (promoted.rowCount) return;
  await db.query(
    `INSERT INTO "ContactChannel" ("tenancyId", "projectUserId", "type", "isPrimary", "usedForAuth", "isVerified", "value")
     VALUES ($1, $2, 'EMAIL', 'TRUE', $3::"BooleanTrue", $4, $5)`,
    [tenancyId, userId, authFlag(options.usedForAuth), options.verified ?? false, email],
  );
}

/** Change the primary channel's verification or sign-in flag in place (no-op without a primary e-mail). */
export async function updatePrimaryEmailFlags(
  db: Queryable,
  tenancyId: string,
  userId: string,
  flags: { verified?: boolean; usedForAuth?: boolean },
): Promise<void> {
  await db.query(
    `UPDATE "ContactChannel" SET
       "isVerified" = COALESCE($3::boolean, "isVerified"),
       "usedForAuth" = CASE WHEN $4::boolean IS NULL THEN "usedForAuth" WHEN $4 THEN 'TRUE'::"BooleanTrue" END,
       "updatedAt" = now()
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "type" = 'EMAIL' AND "isPrimary" = 'TRUE'`,
    [tenancyId, userId, flags.verified ?? null, flags.usedForAuth ?? null],
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

/** Add (idempotently) or remove the user's OTP / magic-link auth method. */
export async function setOtpAuth(
  db: Queryable,
  tenancyId: string,
  userId: string,
  enabled: boolean,
): Promise<void> {
  const key = [tenancyId, userId];
  if (!enabled) {
    await db.query(
      `DELETE FROM "AuthMethod" am USING "OtpAuthMethod" otp
       WHERE otp."tenancyId" = $1 AND otp."projectUserId" = $2 AND am."tenancyId" = otp."tenancyId" AND am."id" = otp."authMethodId"`,
      key,
    );
    return;
  }
  const existing = await db.query(
    `SELECT 1 FROM "OtpAuthMethod" WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
    key,
  );
  if (existing.rowCount) return;
  await db.query(
    `WITH method AS (
       INSERT INTO "AuthMethod" ("tenancyId", "projectUserId") VALUES ($1, $2) RETURNING "id"
     )
     INSERT INTO "OtpAuthMethod" ("tenancyId", "authMethodId", "projectUserId") SELECT $1, "id", $2 FROM method`,
    key,
  );
}
