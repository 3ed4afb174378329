import type { Queryable } from '../../db/index.js';
/** Upstream's outer-OAuth-flow lifetime: 10 minutes, for the CSRF cookie and the OAuthOuterInfo row alike. */
export const OUTER_FLOW_MINUTES = 10;

/** The client's side of a flow, kept server-side under the inner state while the user is at the provider. */
export interface OuterInfo {
  readonly tenancyId: string;
  readonly projectId: string;
  readonly branchId: string;
  readonly provider: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly state: string;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: string;
  readonly type: 'authenticate' | 'link';
  readonly projectUserId: string | null;
  readonly errorRedirectUrl: string | null;
  readonly afterCallbackRedirectUrl: string | null;
  readonly responseMode: 'json' | 'redirect';
}

export async function saveOuterInfo(db: Queryable, innerState: string, info: OuterInfo): Promise<void> {
  await db.query(
    `INSERT INTO "OAuthOuterInfo" ("info", "innerState", "expiresAt")
     VALUES ($1, $2, now() + make_interval(mins => $3))`,
    [info, innerState, OUTER_FLOW_MINUTES],
  );
}

export interface StoredOuterInfo {
  readonly info: OuterInfo;
  readonly expired: boolean;
}

export async function readOuterInfo(db: Queryable, innerState: string): Promise<StoredOuterInfo | null> {
  const { rows } = await db.query<StoredOuterInfo>(
    `SELECT "info", "expiresAt" < now() AS "expired" FROM "OAuthOuterInfo" WHERE "innerState" = $1`,
    [innerState],
  );
  return rows[0] ?? null;
}

/** Read and delete: a flow's callback can run once. */
export async function takeOuterInfo(db: Queryable, innerState: string): Promise<StoredOuterInfo | null> {
  const { rows } = await db.query<StoredOuterInfo>(
    `DELETE FROM "OAuthOuterInfo" WHERE "innerState" = $1 RETURNING "info", "expiresAt" < now() AS "expired"`,
    [innerState],
  );
  return rows[0] ?? null;
}
