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
  /** The client secret the flow started with, checked again at the callback (a key revoked meanwhile fails). */
  readonly publishableClientKey: string;
  /** PKCE verifier of the inner flow, between the emulator and its identity provider. */
  readonly innerCodeVerifier: string;
  /** The provider scope the client asked for beyond the base scope, if any. */
  readonly providerScope: string | null;
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

/** A flow's callback runs once: true when this call removed it (a concurrent second callback gets false). */
export async function deleteOuterInfo(db: Queryable, innerState: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM "OAuthOuterInfo" WHERE "innerState" = $1`, [innerState]);
  return (rowCount ?? 0) > 0;
}
