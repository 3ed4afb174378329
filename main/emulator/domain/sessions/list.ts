import type { Queryable } from '../../db/index.js';

/** A user's session as upstream's sessions CRUD reports it. */
export interface SessionSummary {
  readonly id: string;
  readonly userId: string;
  readonly createdAtMillis: number;
  readonly lastUsedAtMillis: number;
  readonly isImpersonation: boolean;
}

const millis = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8`;

/** A user's sessions, newest first, as upstream lists them (expired ones included); impersonations only when asked. */
export async function listSessions(
  db: Queryable,
  tenancyId: string,
  userId: string,
  options: { includeImpersonations: boolean },
): Promise<SessionSummary[]> {
  const { rows } = await db.query<SessionSummary>(
    `SELECT "id", "projectUserId" AS "userId", ${millis('"createdAt"')} AS "createdAtMillis",
       ${millis('"lastActiveAt"')} AS "lastUsedAtMillis", "isImpersonation"
     FROM "ProjectUserRefreshToken"
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND ($3 OR NOT "isImpersonation")
     ORDER BY "createdAt" DESC, "id"`,
    [tenancyId, userId, options.includeImpersonations],
  );
  return rows;
}

/** One session of the tenancy (live or not), or null. */
export async function findSessionById(
  db: Queryable,
  tenancyId: string,
  sessionId: string,
): Promise<{ id: string; userId: string } | null> {
  const { rows } = await db.query<{ id: string; userId: string }>(
    `SELECT "id", "projectUserId" AS "userId" FROM "ProjectUserRefreshToken" WHERE "tenancyId" = $1 AND "id" = $2`,
    [tenancyId, sessionId],
  );
  return rows[0] ?? null;
}

/**
 * End every session of a user, except the one whose refresh token is given: what a password change does
 * upstream (a server setting the password ends all of them, the user changing it keeps the session it used).
 */
export async function endUserSessions(
  db: Queryable,
  tenancyId: string,
  userId: string,
  options: { exceptRefreshToken?: string } = {},
): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM "ProjectUserRefreshToken"
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND ($3::text IS NULL OR "refreshToken" <> $3)`,
    [tenancyId, userId, options.exceptRefreshToken ?? null],
  );
  return rowCount ?? 0;
}
