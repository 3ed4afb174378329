import { secureRandomString } from '../../../shared/encoding.js';
import type { EmulatorContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import { findUser } from '../users/queries.js';
import { tokenSubject } from '../users/serialize.js';
import { knownError } from '../wire/known-errors.js';

/** Upstream's refresh-token lifetime: one year. */
const REFRESH_TOKEN_TTL = '1 year';

export interface TenancyRef {
  readonly projectId: string;
  readonly branchId: string;
  readonly tenancyId: string;
}

export interface SessionRow extends TenancyRef {
  readonly id: string;
  readonly userId: string;
}

export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly refreshTokenId: string;
}

/** An access token for a session's user, with its current name, email and restrictions. */
export async function accessTokenFor(
  ctx: EmulatorContext,
  db: Queryable,
  session: SessionRow,
): Promise<string> {
  const user = await findUser(db, session.tenancyId, session.userId);
  if (!user) throw knownError('REFRESH_TOKEN_NOT_FOUND_OR_EXPIRED');
  return ctx.tokens.sign(tokenSubject(user, { ...session, refreshTokenId: session.id }));
}

/** A new session (ProjectUserRefreshToken row with an opaque 45-char token) and its first access token. */
export async function startSession(
  ctx: EmulatorContext,
  db: Queryable,
  tenancy: TenancyRef,
  userId: string,
): Promise<IssuedTokens> {
  const refreshToken = secureRandomString();
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "ProjectUserRefreshToken" ("tenancyId", "projectUserId", "refreshToken", "expiresAt")
     VALUES ($1, $2, $3, now() + $4::interval) RETURNING "id"`,
    [tenancy.tenancyId, userId, refreshToken, REFRESH_TOKEN_TTL],
  );
  const id = rows[0]!.id;
  const accessToken = await accessTokenFor(ctx, db, { ...tenancy, id, userId });
  return { accessToken, refreshToken, refreshTokenId: id };
}

/** The live session behind a refresh token of `projectId`, or REFRESH_TOKEN_NOT_FOUND_OR_EXPIRED. */
export async function findSession(
  db: Queryable,
  projectId: string,
  refreshToken: string,
): Promise<SessionRow> {
  const { rows } = await db.query<SessionRow>(
    `SELECT rt."id", rt."tenancyId", rt."projectUserId" AS "userId", t."projectId", t."branchId"
     FROM "ProjectUserRefreshToken" rt JOIN "Tenancy" t ON t."id" = rt."tenancyId"
     WHERE rt."refreshToken" = $1 AND t."projectId" = $2 AND (rt."expiresAt" IS NULL OR rt."expiresAt" > now())`,
    [refreshToken, projectId],
  );
  if (!rows[0]) throw knownError('REFRESH_TOKEN_NOT_FOUND_OR_EXPIRED');
  return rows[0];
}

/** Revoke one session; false when it was already gone. */
export async function endSession(db: Queryable, tenancyId: string, sessionId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `DELETE FROM "ProjectUserRefreshToken" WHERE "tenancyId" = $1 AND "id" = $2`,
    [tenancyId, sessionId],
  );
  return (rowCount ?? 0) > 0;
}
