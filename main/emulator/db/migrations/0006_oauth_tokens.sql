-- Upstream's OAuthToken and OAuthAccessToken: the provider's refresh and access tokens kept for a connected
-- account, so /connected-accounts can hand an app a provider access token (refreshing it when it expired).
CREATE TABLE "OAuthToken" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "tenancyId" UUID NOT NULL,
  "oauthAccountId" UUID NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "refreshToken" TEXT NOT NULL,
  "scopes" TEXT[] NOT NULL,
  "isValid" BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT "OAuthToken_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "OAuthToken_tenancyId_oauthAccountId_fkey" FOREIGN KEY ("tenancyId", "oauthAccountId")
    REFERENCES "ProjectUserOAuthAccount" ("tenancyId", "id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "OAuthAccessToken" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "tenancyId" UUID NOT NULL,
  "oauthAccountId" UUID NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "accessToken" TEXT NOT NULL,
  "scopes" TEXT[] NOT NULL,
  "expiresAt" TIMESTAMP(3) NOT NULL,
  "isValid" BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT "OAuthAccessToken_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "OAuthAccessToken_tenancyId_oauthAccountId_fkey" FOREIGN KEY ("tenancyId", "oauthAccountId")
    REFERENCES "ProjectUserOAuthAccount" ("tenancyId", "id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "OAuthToken_tenancyId_oauthAccountId_idx" ON "OAuthToken" ("tenancyId", "oauthAccountId");
CREATE INDEX "OAuthAccessToken_tenancyId_oauthAccountId_idx" ON "OAuthAccessToken" ("tenancyId", "oauthAccountId");
