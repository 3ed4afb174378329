import type pg from 'pg';
import { knownError } from '../../errors/index.js';
import type { Tenancy } from '../projects/index.js';
import { createUserWithDefaults, updateUser } from '../users/index.js';
import type { ProviderIdentity } from './provider-client.js';

export interface OAuthSignInResult {
  readonly userId: string;
  readonly newUser: boolean;
}

/** What the flow started with: sign in (maybe upgrading the anonymous caller) or link to the signed-in user. */
export interface OAuthFlowUser {
  readonly type: 'authenticate' | 'link';
  /** The user whose access token came with the authorize request, if any. */
  readonly projectUserId: string | null;
}

async function insertAccount(
  tx: pg.PoolClient,
  tenancyId: string,
  userId: string,
  providerId: string,
  identity: ProviderIdentity,
  withAuthMethod: boolean,
): Promise<void> {
  await tx.query(
    `INSERT INTO "ProjectUserOAuthAccount" ("tenancyId", "projectUserId", "configOAuthProviderId", "providerAccountId", "email")
     VALUES ($1, $2, $3, $4, $5)`,
    [tenancyId, userId, providerId, identity.accountId, identity.email],
  );
  if (!withAuthMethod) return;
  await tx.query(
    `WITH method AS (INSERT INTO "AuthMethod" ("tenancyId", "projectUserId") VALUES ($1, $2) RETURNING "id")
     INSERT INTO "OAuthAuthMethod" ("tenancyId", "authMethodId", "configOAuthProviderId", "providerAccountId", "projectUserId")
     SELECT $1, "id", $3, $4, $2 FROM method`,
    [tenancyId, userId, providerId, identity.accountId],
  );
}

/** Upstream's merge strategy for a new provider account whose e-mail already signs someone in. */
async function mergeByEmail(
  tx: pg.PoolClient,
  tenancy: Tenancy,
  identity: ProviderIdentity,
): Promise<{ linkedUserId: string | null; primaryEmailAuthEnabled: boolean }> {
  const email = identity.email;
  if (!email) return { linkedUserId: null, primaryEmailAuthEnabled: false };
  const { rows } = await tx.query<{ userId: string; isVerified: boolean }>(
    `SELECT "projectUserId" AS "userId", "isVerified" FROM "ContactChannel"
     WHERE "tenancyId" = $1 AND "type" = 'EMAIL' AND "usedForAuth" = 'TRUE' AND "value" IN ($2, lower($2))
     ORDER BY "value" = $2 DESC LIMIT 1`,
    [tenancy.tenancyId, email],
  );
  const existing = rows[0];
  if (!existing) return { linkedUserId: null, primaryEmailAuthEnabled: true };
  switch (tenancy.config.auth.oauth.accountMergeStrategy) {
    case 'link_method':
      if (!existing.isVerified)
        throw knownError('CONTACT_CHANNEL_ALREADY_USED_FOR_AUTH_BY_SOMEONE_ELSE', 'email', email, true);
      if (!identity.emailVerified)
        throw knownError('CONTACT_CHANNEL_ALREADY_USED_FOR_AUTH_BY_SOMEONE_ELSE', 'email', email);
      return { linkedUserId: existing.userId, primaryEmailAuthEnabled: true };
    case 'raise_error':
      throw knownError('CONTACT_CHANNEL_ALREADY_USED_FOR_AUTH_BY_SOMEONE_ELSE', 'email', email);
    default:
      return { linkedUserId: null, primaryEmailAuthEnabled: false };
  }
}

/**
 * Upstream's callback outcomes, in its order: link to the signed-in user (refused when the provider account
 * belongs to someone else); sign in the user already connected to this provider account; link by a verified
 * sign-in e-mail (the project's merge strategy); or sign up — upgrading the caller in place when it was an
 * anonymous user. Run inside a transaction.
 */
export async function signInWithProviderIdentity(
  tx: pg.PoolClient,
  tenancy: Tenancy,
  providerId: string,
  identity: ProviderIdentity,
  flow: OAuthFlowUser,
): Promise<OAuthSignInResult> {
  const { tenancyId } = tenancy;
  const found = await tx.query<{ userId: string }>(
    `SELECT "projectUserId" AS "userId" FROM "ProjectUserOAuthAccount"
     WHERE "tenancyId" = $1 AND "configOAuthProviderId" = $2 AND "providerAccountId" = $3 AND "allowSignIn"
       AND "projectUserId" IS NOT NULL`,
    [tenancyId, providerId, identity.accountId],
  );
  const connectedUserId = found.rows[0]?.userId ?? null;
  if (flow.type === 'link' && flow.projectUserId) {
    if (connectedUserId && connectedUserId !== flow.projectUserId) {
      throw knownError('OAUTH_CONNECTION_ALREADY_CONNECTED_TO_ANOTHER_USER');
    }
    if (!connectedUserId) await insertAccount(tx, tenancyId, flow.projectUserId, providerId, identity, false);
    return { userId: flow.projectUserId, newUser: false };
  }
  if (connectedUserId) return { userId: connectedUserId, newUser: false };

  const { linkedUserId, primaryEmailAuthEnabled } = await mergeByEmail(tx, tenancy, identity);
  if (linkedUserId) {
    await insertAccount(tx, tenancyId, linkedUserId, providerId, identity, true);
    return { userId: linkedUserId, newUser: false };
  }
  if (!tenancy.config.auth.allowSignUp) throw knownError('SIGN_UP_NOT_ENABLED');
  const write = {
    displayName: identity.displayName,
    profileImageUrl: identity.profileImageUrl,
    primaryEmail: identity.email,
    primaryEmailVerified: identity.emailVerified,
    primaryEmailAuthEnabled,
  };
  const anonymous = flow.projectUserId
    ? await tx.query(
        `SELECT 1 FROM "ProjectUser" WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "isAnonymous"`,
        [tenancyId, flow.projectUserId],
      )
    : null;
  let userId: string;
  if (flow.projectUserId && anonymous?.rowCount) {
    userId = flow.projectUserId;
    await updateUser(tx, tenancy, userId, { ...write, isAnonymous: false });
    await tx.query(
      `UPDATE "ProjectUser" SET "signedUpAt" = now() WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
      [tenancyId, userId],
    );
  } else {
    userId = await createUserWithDefaults(tx, tenancy, write);
  }
  await insertAccount(tx, tenancyId, userId, providerId, identity, true);
  return { userId, newUser: true };
}
