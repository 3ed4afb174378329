import type pg from 'pg';
import { knownError } from '../../errors/index.js';
import type { Tenancy } from '../projects/index.js';
import { createUserWithDefaults } from '../users/index.js';
import type { MockIdentity } from './mock-identity.js';

export interface OAuthSignInResult {
  readonly userId: string;
  readonly newUser: boolean;
}

async function linkAccount(
  tx: pg.PoolClient,
  tenancyId: string,
  userId: string,
  provider: string,
  identity: MockIdentity,
) {
  await tx.query(
    `INSERT INTO "ProjectUserOAuthAccount" ("tenancyId", "projectUserId", "configOAuthProviderId", "providerAccountId", "email")
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [tenancyId, userId, provider, identity.accountId, identity.email],
  );
}

/**
 * Upstream's callback outcomes: link to the signed-in user; sign in the user already connected to this provider
 * account; link by a verified-for-auth e-mail (merge strategy LINK_METHOD, upstream's default); or sign up.
 */
export async function signInWithIdentity(
  tx: pg.PoolClient,
  tenancy: Tenancy,
  provider: string,
  identity: MockIdentity,
  linkTo: string | null,
): Promise<OAuthSignInResult> {
  const { tenancyId } = tenancy;
  const existing = await tx.query<{ userId: string; accountId: string }>(
    `SELECT "projectUserId" AS "userId", "providerAccountId" AS "accountId" FROM "ProjectUserOAuthAccount"
     WHERE "tenancyId" = $1 AND "configOAuthProviderId" = $2 AND "projectUserId" IS NOT NULL
       AND ("providerAccountId" = $3 OR "projectUserId" = $4)`,
    [tenancyId, provider, identity.accountId, linkTo],
  );
  if (linkTo) {
    if (existing.rows.some((row) => row.userId === linkTo && row.accountId !== identity.accountId)) {
      throw knownError('USER_ALREADY_CONNECTED_TO_ANOTHER_OAUTH_CONNECTION');
    }
    await linkAccount(tx, tenancyId, linkTo, provider, identity);
    return { userId: linkTo, newUser: false };
  }
  const connected = existing.rows.find((row) => row.accountId === identity.accountId);
  if (connected) return { userId: connected.userId, newUser: false };
  const byEmail = await tx.query<{ userId: string }>(
    `SELECT "projectUserId" AS "userId" FROM "ContactChannel"
     WHERE "tenancyId" = $1 AND "type" = 'EMAIL' AND "value" = $2 AND "usedForAuth" = 'TRUE'`,
    [tenancyId, identity.email],
  );
  if (byEmail.rows[0]) {
    await linkAccount(tx, tenancyId, byEmail.rows[0].userId, provider, identity);
    return { userId: byEmail.rows[0].userId, newUser: false };
  }
  const userId = await createUserWithDefaults(tx, tenancy, {
    displayName: identity.displayName,
    primaryEmail: identity.email,
    primaryEmailVerified: true,
    primaryEmailAuthEnabled: true,
    oauthProviders: [{ id: provider, accountId: identity.accountId, email: identity.email }],
  });
  return { userId, newUser: true };
}
