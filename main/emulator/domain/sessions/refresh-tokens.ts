import { secureRandomString } from '../../../../shared/encoding.js';
import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import type { TenancyRef } from '../projects/index.js';
import { findUser, type OnboardingConfig, restrictedStatus, type UserRecord } from '../users/index.js';
import type { AccessTokenSubject, TokenService } from './tokens.js';

/** Upstream's default refresh-token lifetime: one year. */
const DEFAULT_SESSION_MILLIS = 365 * 24 * 60 * 60 * 1000;

export interface SessionRow extends TenancyRef {
  readonly id: string;
  readonly userId: string;
}

export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly refreshTokenId: string;
}

/** What signing a session's access token needs: the key service and the tenancy's onboarding rules. */
export interface SessionSigner {
  readonly tokens: TokenService;
  readonly config: OnboardingConfig;
}

/** The claims of a user's access token, with the restriction the tenancy's rules give it now. */
export function tokenSubject(
  user: UserRecord,
  config: OnboardingConfig,
  session: { projectId: string; branchId: string; refreshTokenId: string },
): AccessTokenSubject {
  const restricted = restrictedStatus(user, config);
  return {
    projectId: session.projectId,
    branchId: session.branchId,
    userId: user.id,
    refreshTokenId: session.refreshTokenId,
    displayName: user.displayName,
    primaryEmail: user.primaryEmail,
    primaryEmailVerified: user.primaryEmailVerified,
    selectedTeamId: user.selectedTeam?.id ?? null,
    signedUpAtMillis: user.signedUpAtMillis,
    isAnonymous: user.isAnonymous,
    isRestricted: restricted.isRestricted,
    restrictedReason: restricted.reason,
    requiresTotpMfa: user.requiresTotpMfa,
  };
}

/** An access token for a session's user, with its current name, email and restrictions. */
export async function accessTokenFor(
  signer: SessionSigner,
  db: Queryable,
  session: SessionRow,
): Promise<string> {
  const user = await findUser(db, session.tenancyId, session.userId);
  if (!user) throw knownError('REFRESH_TOKEN_NOT_FOUND_OR_EXPIRED');
  return signer.tokens.sign(tokenSubject(user, signer.config, { ...session, refreshTokenId: session.id }));
}

/** A new session (ProjectUserRefreshToken row with an opaque 45-char token) and its first access token. */
export async function startSession(
  signer: SessionSigner,
  db: Queryable,
  tenancy: TenancyRef,
  userId: string,
  options: { expiresInMillis?: number; isImpersonation?: boolean } = {},
): Promise<IssuedTokens> {
  const refreshToken = secureRandomString();
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "ProjectUserRefreshToken" ("tenancyId", "projectUserId", "refreshToken", "expiresAt", "isImpersonation")
     VALUES ($1, $2, $3, now() + make_interval(secs => $4::float8 / 1000), $5) RETURNING "id"`,
    [
      tenancy.tenancyId,
      userId,
      refreshToken,
      options.expiresInMillis ?? DEFAULT_SESSION_MILLIS,
      options.isImpersonation ?? false,
    ],
  );
  const id = rows[0]!.id;
  const accessToken = await accessTokenFor(signer, db, { ...tenancy, id, userId });
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
