import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import {
  type IdentityProviderEndpoint,
  type ProviderTokens,
  providerAccessTokenWorks,
  refreshProviderAccessToken,
} from './provider-client.js';

/** Upstream hands out an access token only while it has at least five minutes left. */
const MIN_REMAINING_SECONDS = 5 * 60;

const scopesOf = (scope: string | undefined) => (scope ?? '').split(/\s+/).filter(Boolean);

/** Keep the provider's tokens for the user's provider account (upstream's storeTokens at the callback). */
export async function storeProviderTokens(
  db: Queryable,
  tenancyId: string,
  account: { userId: string; providerId: string; providerAccountId: string },
  tokens: ProviderTokens,
): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT "id" FROM "ProjectUserOAuthAccount"
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "configOAuthProviderId" = $3 AND "providerAccountId" = $4`,
    [tenancyId, account.userId, account.providerId, account.providerAccountId],
  );
  const accountId = rows[0]?.id;
  if (!accountId) return;
  if (tokens.refreshToken) {
    await db.query(
      `INSERT INTO "OAuthToken" ("tenancyId", "oauthAccountId", "refreshToken", "scopes") VALUES ($1, $2, $3, $4)`,
      [tenancyId, accountId, tokens.refreshToken, tokens.scopes],
    );
  }
  await saveAccessToken(db, tenancyId, accountId, tokens);
}

async function saveAccessToken(db: Queryable, tenancyId: string, accountId: string, tokens: ProviderTokens) {
  await db.query(
    `INSERT INTO "OAuthAccessToken" ("tenancyId", "oauthAccountId", "accessToken", "scopes", "expiresAt")
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
    [tenancyId, accountId, tokens.accessToken, tokens.scopes, tokens.expiresInSeconds],
  );
}

/** The user's provider accounts with connected accounts allowed, oldest first. */
export async function listConnectedAccounts(
  db: Queryable,
  tenancyId: string,
  userId: string,
): Promise<{ id: string; providerId: string; providerAccountId: string }[]> {
  const { rows } = await db.query<{ id: string; providerId: string; providerAccountId: string }>(
    `SELECT "id", "configOAuthProviderId" AS "providerId", "providerAccountId" FROM "ProjectUserOAuthAccount"
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "allowConnectedAccounts" ORDER BY "createdAt"`,
    [tenancyId, userId],
  );
  return rows;
}

/**
 * Upstream's retrieveOrRefreshAccessToken over the given provider accounts: a stored access token with the
 * scopes asked for and five minutes left that the provider still accepts, else one refreshed with a stored
 * refresh token (tokens the provider refuses are marked invalid), else OAUTH_CONNECTION_DOES_NOT_HAVE_REQUIRED_SCOPE.
 */
export async function retrieveOrRefreshAccessToken(
  db: Queryable,
  endpoint: IdentityProviderEndpoint,
  options: { tenancyId: string; clientId: string; accountIds: string[]; scope?: string },
): Promise<{ access_token: string }> {
  const wanted = scopesOf(options.scope);
  const { tenancyId, clientId, accountIds } = options;
  const access = await db.query<{ id: string; accessToken: string; scopes: string[] }>(
    `SELECT "id", "accessToken", "scopes" FROM "OAuthAccessToken"
     WHERE "tenancyId" = $1 AND "oauthAccountId" = ANY($2::uuid[]) AND "isValid"
       AND "expiresAt" > now() + make_interval(secs => $3) ORDER BY "expiresAt" DESC`,
    [tenancyId, accountIds, MIN_REMAINING_SECONDS],
  );
  for (const token of access.rows.filter((t) => wanted.every((s) => t.scopes.includes(s)))) {
    if (await providerAccessTokenWorks(endpoint, clientId, token.accessToken)) {
      return { access_token: token.accessToken };
    }
    await db.query(`UPDATE "OAuthAccessToken" SET "isValid" = false, "updatedAt" = now() WHERE "id" = $1`, [
      token.id,
    ]);
  }
  const refresh = await db.query<{
    id: string;
    oauthAccountId: string;
    refreshToken: string;
    scopes: string[];
  }>(
    `SELECT "id", "oauthAccountId", "refreshToken", "scopes" FROM "OAuthToken"
     WHERE "tenancyId" = $1 AND "oauthAccountId" = ANY($2::uuid[]) AND "isValid" ORDER BY "createdAt" DESC`,
    [tenancyId, accountIds],
  );
  const usable = refresh.rows.filter((t) => wanted.every((s) => t.scopes.includes(s)));
  if (usable.length === 0) throw knownError('OAUTH_CONNECTION_DOES_NOT_HAVE_REQUIRED_SCOPE');
  for (const token of usable) {
    const fresh = await refreshProviderAccessToken(endpoint, clientId, token.refreshToken);
    if (!fresh) {
      await db.query(`UPDATE "OAuthToken" SET "isValid" = false, "updatedAt" = now() WHERE "id" = $1`, [
        token.id,
      ]);
      continue;
    }
    await saveAccessToken(db, tenancyId, token.oauthAccountId, { ...fresh, scopes: token.scopes });
    return { access_token: fresh.accessToken };
  }
  throw knownError('OAUTH_CONNECTION_DOES_NOT_HAVE_REQUIRED_SCOPE');
}
