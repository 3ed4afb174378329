/**
 * The user half of upstream's `/internal/metrics`, computed from the emulator's Postgres. Upstream reads activity
 * from its analytics store; the emulator keeps only each session's last activity, so a user who was active on
 * several days counts on the last of them.
 */
import type { Queryable } from '../../db/index.js';
import { USER_SELECT, type UserRecord } from '../users/index.js';

export interface DataPoint {
  /** A UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly activity: number;
}

export interface UserMetrics {
  readonly totalUsers: number;
  /** Sign-ups per day, the last 30 days and today. */
  readonly dailyUsers: DataPoint[];
  /** Users whose last activity fell on each day, the same 31 days. */
  readonly dailyActiveUsers: DataPoint[];
  readonly usersByCountry: Record<string, number>;
  readonly recentlyRegistered: UserRecord[];
  readonly recentlyActive: UserRecord[];
  /** Sign-in methods by kind: an OAuth provider's id, `password`, or `other` (upstream also splits passkey, otp). */
  readonly loginMethods: { method: string; count: number }[];
}

/** As upstream: the 100 newest sign-ups and the 5 most recently active users. */
const RECENTLY_REGISTERED = 100;
const RECENTLY_ACTIVE = 5;

/** One row per UTC day from 30 days ago to today, with how many of `timestampColumn` fall on it. */
async function perDay(
  db: Queryable,
  tenancyId: string,
  includeAnonymous: boolean,
  timestampColumn: string,
): Promise<DataPoint[]> {
  const { rows } = await db.query<{ date: string; activity: number }>(
    `WITH days AS (
       SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 30, (now() AT TIME ZONE 'UTC')::date, '1 day')::date AS day
     )
     SELECT to_char(d.day, 'YYYY-MM-DD') AS "date", COUNT(pu."projectUserId")::int AS "activity"
     FROM days d
     LEFT JOIN "ProjectUser" pu
       ON pu."tenancyId" = $1 AND (${timestampColumn})::date = d.day AND ($2 OR NOT pu."isAnonymous")
     GROUP BY d.day ORDER BY d.day`,
    [tenancyId, includeAnonymous],
  );
  return rows;
}

export async function loadUserMetrics(
  db: Queryable,
  tenancyId: string,
  includeAnonymous: boolean,
): Promise<UserMetrics> {
  const anonymousFilter = includeAnonymous ? '' : 'AND NOT pu."isAnonymous"';
  const [total, dailyUsers, dailyActiveUsers, countries, registered, active, methods] = await Promise.all([
    db.query<{ count: number }>(
      `SELECT COUNT(*)::int AS "count" FROM "ProjectUser" pu WHERE pu."tenancyId" = $1 ${anonymousFilter}`,
      [tenancyId],
    ),
    perDay(db, tenancyId, includeAnonymous, 'COALESCE(pu."signedUpAt", pu."createdAt")'),
    perDay(db, tenancyId, includeAnonymous, 'pu."lastActiveAt"'),
    db.query<{ country: string; count: number }>(
      `SELECT pu."signUpCountryCode" AS "country", COUNT(*)::int AS "count" FROM "ProjectUser" pu
       WHERE pu."tenancyId" = $1 AND pu."signUpCountryCode" IS NOT NULL ${anonymousFilter}
       GROUP BY pu."signUpCountryCode"`,
      [tenancyId],
    ),
    db.query<UserRecord>(
      `${USER_SELECT} WHERE pu."tenancyId" = $1 ${anonymousFilter}
       ORDER BY COALESCE(pu."signedUpAt", pu."createdAt") DESC, pu."projectUserId" DESC LIMIT ${RECENTLY_REGISTERED}`,
      [tenancyId],
    ),
    db.query<UserRecord>(
      `${USER_SELECT} WHERE pu."tenancyId" = $1 ${anonymousFilter}
       ORDER BY pu."lastActiveAt" DESC, pu."projectUserId" DESC LIMIT ${RECENTLY_ACTIVE}`,
      [tenancyId],
    ),
    db.query<{ method: string; count: number }>(
      `SELECT lower(COALESCE(oa."configOAuthProviderId",
                 CASE WHEN pw."authMethodId" IS NOT NULL THEN 'password' END,
                 'other')) AS "method",
              COUNT(*)::int AS "count"
       FROM "AuthMethod" m
       LEFT JOIN "OAuthAuthMethod" oa ON oa."tenancyId" = m."tenancyId" AND oa."authMethodId" = m."id"
       LEFT JOIN "PasswordAuthMethod" pw ON pw."tenancyId" = m."tenancyId" AND pw."authMethodId" = m."id"
       WHERE m."tenancyId" = $1
       GROUP BY 1 ORDER BY 1`,
      [tenancyId],
    ),
  ]);
  return {
    totalUsers: total.rows[0]?.count ?? 0,
    dailyUsers,
    dailyActiveUsers,
    usersByCountry: Object.fromEntries(countries.rows.map((row) => [row.country, row.count])),
    recentlyRegistered: registered.rows,
    recentlyActive: active.rows,
    loginMethods: methods.rows,
  };
}
