import type { Queryable } from '../../db/index.js';
import type { UserRecord } from './record.js';

// Timestamps are `timestamp without time zone` holding UTC (as upstream): read them as epoch millis in SQL so the
// Node process time zone can never shift them.
const millis = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8`;

/** One row per user with its derived fields; `WHERE` and ordering are appended by the caller. */
export const USER_SELECT = `
  SELECT
    pu."projectUserId" AS "id", pu."tenancyId", pu."displayName", pu."profileImageUrl",
    pu."clientMetadata", pu."clientReadOnlyMetadata", pu."serverMetadata",
    ${millis('COALESCE(pu."signedUpAt", pu."createdAt")')} AS "signedUpAtMillis",
    ${millis('pu."lastActiveAt"')} AS "lastActiveAtMillis",
    pu."isAnonymous", pu."requiresTotpMfa", pu."restrictedByAdmin", pu."restrictedByAdminReason",
    pu."restrictedByAdminPrivateDetails", pu."signUpCountryCode" AS "countryCode",
    pu."signUpRiskScoreBot" AS "riskScoreBot", pu."signUpRiskScoreFreeTrialAbuse" AS "riskScoreFreeTrialAbuse",
    email."value" AS "primaryEmail",
    COALESCE(email."isVerified", false) AS "primaryEmailVerified",
    COALESCE(email."usedForAuth" = 'TRUE', false) AS "primaryEmailAuthEnabled",
    EXISTS (
      SELECT 1 FROM "PasswordAuthMethod" pam
      WHERE pam."tenancyId" = pu."tenancyId" AND pam."projectUserId" = pu."projectUserId"
    ) AS "hasPassword",
    EXISTS (
      SELECT 1 FROM "OtpAuthMethod" otp
      WHERE otp."tenancyId" = pu."tenancyId" AND otp."projectUserId" = pu."projectUserId"
    ) AS "otpAuthEnabled",
    COALESCE((
      SELECT json_agg(json_build_object('id', oa."configOAuthProviderId", 'account_id', oa."providerAccountId", 'email', oa."email")
                      ORDER BY oa."createdAt")
      FROM "ProjectUserOAuthAccount" oa
      WHERE oa."tenancyId" = pu."tenancyId" AND oa."projectUserId" = pu."projectUserId"
    ), '[]'::json) AS "oauthProviders",
    (
      SELECT json_build_object(
        'id', t."teamId", 'display_name', t."displayName", 'profile_image_url', t."profileImageUrl",
        'created_at_millis', ${millis('t."createdAt"')}, 'client_metadata', t."clientMetadata",
        'client_read_only_metadata', t."clientReadOnlyMetadata", 'server_metadata', t."serverMetadata")
      FROM "TeamMember" tm JOIN "Team" t ON t."tenancyId" = tm."tenancyId" AND t."teamId" = tm."teamId"
      WHERE tm."tenancyId" = pu."tenancyId" AND tm."projectUserId" = pu."projectUserId" AND tm."isSelected" = 'TRUE'
    ) AS "selectedTeam"
  FROM "ProjectUser" pu
  LEFT JOIN LATERAL (
    -- Type and flag compared as text so that only (tenancyId, projectUserId) can be an index condition: with the
    -- statistics of freshly created tables the planner otherwise walked the tenancy's email channels per user.
    SELECT cc."value", cc."isVerified", cc."usedForAuth" FROM "ContactChannel" cc
    WHERE cc."tenancyId" = pu."tenancyId" AND cc."projectUserId" = pu."projectUserId"
      AND cc."type"::text = 'EMAIL' AND cc."isPrimary"::text = 'TRUE'
    LIMIT 1
  ) email ON true`;

export async function findUser(db: Queryable, tenancyId: string, userId: string): Promise<UserRecord | null> {
  const { rows } = await db.query<UserRecord>(
    `${USER_SELECT} WHERE pu."tenancyId" = $1 AND pu."projectUserId" = $2`,
    [tenancyId, userId],
  );
  return rows[0] ?? null;
}

/** The user whose email channel is used for sign-in, with its password hash (null when it has none). */
export async function findAuthUserByEmail(
  db: Queryable,
  tenancyId: string,
  email: string,
): Promise<{ userId: string; passwordHash: string | null } | null> {
  const { rows } = await db.query<{ userId: string; passwordHash: string | null }>(
    `SELECT cc."projectUserId" AS "userId", pam."passwordHash"
     FROM "ContactChannel" cc
     LEFT JOIN "PasswordAuthMethod" pam ON pam."tenancyId" = cc."tenancyId" AND pam."projectUserId" = cc."projectUserId"
     WHERE cc."tenancyId" = $1 AND cc."type" = 'EMAIL' AND cc."value" = $2 AND cc."usedForAuth" = 'TRUE'`,
    [tenancyId, email],
  );
  return rows[0] ?? null;
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** A sign-in e-mail channel and what OTP sign-in needs to know about its user. */
export interface AuthEmailChannel {
  readonly userId: string;
  readonly value: string;
  readonly isVerified: boolean;
  readonly otpAuthEnabled: boolean;
}

/**
 * The channel used for sign-in with this address, looked up as given and then normalized (upstream's
 * getAuthContactChannelWithEmailNormalization, for addresses stored before normalization).
 */
export async function findAuthEmailChannel(
  db: Queryable,
  tenancyId: string,
  email: string,
): Promise<AuthEmailChannel | null> {
  const { rows } = await db.query<AuthEmailChannel>(
    `SELECT cc."projectUserId" AS "userId", cc."value", cc."isVerified",
       EXISTS (SELECT 1 FROM "OtpAuthMethod" otp
               WHERE otp."tenancyId" = cc."tenancyId" AND otp."projectUserId" = cc."projectUserId") AS "otpAuthEnabled"
     FROM "ContactChannel" cc
     WHERE cc."tenancyId" = $1 AND cc."type" = 'EMAIL' AND cc."usedForAuth" = 'TRUE' AND cc."value" = ANY($2::text[])
     ORDER BY cc."value" = $3 DESC LIMIT 1`,
    [tenancyId, [email, normalizeEmail(email)], email],
  );
  return rows[0] ?? null;
}

/** Upstream normalizes e-mail addresses before storing and comparing them. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** The user's password hash, or null when it has no password. */
export async function findPasswordHash(
  db: Queryable,
  tenancyId: string,
  userId: string,
): Promise<string | null> {
  const { rows } = await db.query<{ passwordHash: string }>(
    `SELECT "passwordHash" FROM "PasswordAuthMethod" WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
    [tenancyId, userId],
  );
  return rows[0]?.passwordHash ?? null;
}
