-- The subset of upstream Stack Auth's internal schema (apps/backend/prisma/schema.prisma at the external-db-sync
-- era) that the emulator serves and the sync engine reads. Table, column, type, constraint and index names are
-- upstream's so a tool written against a self-hosted Stack Auth database reads this one unchanged.
-- Differences, each deliberate: "updatedAt" columns default to now() so plain-SQL inserts stay short, and
-- ProjectUserRefreshToken gets a cascading FK to its user (upstream deletes tokens in app code).

CREATE TYPE "BooleanTrue" AS ENUM ('TRUE');
CREATE TYPE "ContactChannelType" AS ENUM ('EMAIL');
CREATE TYPE "VerificationCodeType" AS ENUM (
  'ONE_TIME_PASSWORD', 'PASSWORD_RESET', 'CONTACT_CHANNEL_VERIFICATION', 'TEAM_INVITATION', 'MFA_ATTEMPT',
  'PASSKEY_REGISTRATION_CHALLENGE', 'PASSKEY_AUTHENTICATION_CHALLENGE', 'INTEGRATION_PROJECT_TRANSFER',
  'PURCHASE_URL'
);

CREATE SEQUENCE global_seq_id AS BIGINT START 1 INCREMENT BY 11 NO MINVALUE NO MAXVALUE;

CREATE TABLE "Project" (
  "id" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "displayName" TEXT NOT NULL,
  "description" TEXT NOT NULL DEFAULT '',
  "isProductionMode" BOOLEAN NOT NULL,
  "ownerTeamId" UUID,
  "onboardingStatus" TEXT NOT NULL DEFAULT 'completed',
  "logoUrl" TEXT,
  "logoFullUrl" TEXT,
  "logoDarkModeUrl" TEXT,
  "logoFullDarkModeUrl" TEXT,
  "projectConfigOverride" JSONB,
  "stripeAccountId" TEXT,
  CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Project_ownerTeamId_idx" ON "Project" ("ownerTeamId");

CREATE TABLE "Tenancy" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "projectId" TEXT NOT NULL,
  "branchId" TEXT NOT NULL,
  "organizationId" UUID,
  "hasNoOrganization" "BooleanTrue",
  "emailCapacityBoostExpiresAt" TIMESTAMP(3),
  CONSTRAINT "Tenancy_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "Tenancy_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Tenancy_projectId_branchId_organizationId_key"
  ON "Tenancy" ("projectId", "branchId", "organizationId");
CREATE UNIQUE INDEX "Tenancy_projectId_branchId_hasNoOrganization_key"
  ON "Tenancy" ("projectId", "branchId", "hasNoOrganization");

CREATE TABLE "BranchConfigOverride" (
  "projectId" TEXT NOT NULL,
  "branchId" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "config" JSONB NOT NULL,
  "source" JSONB,
  CONSTRAINT "BranchConfigOverride_pkey" PRIMARY KEY ("projectId", "branchId"),
  CONSTRAINT "BranchConfigOverride_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "EnvironmentConfigOverride" (
  "projectId" TEXT NOT NULL,
  "branchId" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "config" JSONB NOT NULL,
  CONSTRAINT "EnvironmentConfigOverride_pkey" PRIMARY KEY ("projectId", "branchId"),
  CONSTRAINT "EnvironmentConfigOverride_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "ApiKeySet" (
  "projectId" TEXT NOT NULL,
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "description" TEXT NOT NULL,
  "expiresAt" TIMESTAMP(3) NOT NULL,
  "manuallyRevokedAt" TIMESTAMP(3),
  "publishableClientKey" TEXT,
  "secretServerKey" TEXT,
  "superSecretAdminKey" TEXT,
  CONSTRAINT "ApiKeySet_pkey" PRIMARY KEY ("projectId", "id"),
  CONSTRAINT "ApiKeySet_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "ApiKeySet_publishableClientKey_key" ON "ApiKeySet" ("publishableClientKey");
CREATE UNIQUE INDEX "ApiKeySet_secretServerKey_key" ON "ApiKeySet" ("secretServerKey");
CREATE UNIQUE INDEX "ApiKeySet_superSecretAdminKey_key" ON "ApiKeySet" ("superSecretAdminKey");

CREATE TABLE "ProjectUser" (
  "tenancyId" UUID NOT NULL,
  "projectUserId" UUID NOT NULL DEFAULT gen_random_uuid(),
  "mirroredProjectId" TEXT NOT NULL,
  "mirroredBranchId" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "lastActiveAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "sequenceId" BIGINT,
  "shouldUpdateSequenceId" BOOLEAN NOT NULL DEFAULT TRUE,
  "displayName" TEXT,
  "serverMetadata" JSONB,
  "clientReadOnlyMetadata" JSONB,
  "clientMetadata" JSONB,
  "profileImageUrl" TEXT,
  "requiresTotpMfa" BOOLEAN NOT NULL DEFAULT FALSE,
  "totpSecret" BYTEA,
  "isAnonymous" BOOLEAN NOT NULL DEFAULT FALSE,
  "restrictedByAdmin" BOOLEAN NOT NULL DEFAULT FALSE,
  "restrictedByAdminReason" TEXT,
  "restrictedByAdminPrivateDetails" TEXT,
  "signedUpAt" TIMESTAMP(3),
  "projectId" TEXT,
  CONSTRAINT "ProjectUser_pkey" PRIMARY KEY ("tenancyId", "projectUserId")
);
CREATE UNIQUE INDEX "ProjectUser_mirroredProjectId_mirroredBranchId_projectUserId_key"
  ON "ProjectUser" ("mirroredProjectId", "mirroredBranchId", "projectUserId");
CREATE UNIQUE INDEX "ProjectUser_sequenceId_key" ON "ProjectUser" ("sequenceId");
CREATE INDEX "ProjectUser_displayName_asc" ON "ProjectUser" ("tenancyId", "displayName" ASC);
CREATE INDEX "ProjectUser_displayName_desc" ON "ProjectUser" ("tenancyId", "displayName" DESC);
CREATE INDEX "ProjectUser_createdAt_asc" ON "ProjectUser" ("tenancyId", "createdAt" ASC);
CREATE INDEX "ProjectUser_createdAt_desc" ON "ProjectUser" ("tenancyId", "createdAt" DESC);
CREATE INDEX "ProjectUser_tenancyId_sequenceId_idx" ON "ProjectUser" ("tenancyId", "sequenceId");
CREATE INDEX "ProjectUser_shouldUpdateSequenceId_idx" ON "ProjectUser" ("shouldUpdateSequenceId", "tenancyId");

CREATE TABLE "ContactChannel" (
  "tenancyId" UUID NOT NULL,
  "projectUserId" UUID NOT NULL,
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "sequenceId" BIGINT,
  "shouldUpdateSequenceId" BOOLEAN NOT NULL DEFAULT TRUE,
  "type" "ContactChannelType" NOT NULL,
  "isPrimary" "BooleanTrue",
  "usedForAuth" "BooleanTrue",
  "isVerified" BOOLEAN NOT NULL,
  "value" TEXT NOT NULL,
  CONSTRAINT "ContactChannel_pkey" PRIMARY KEY ("tenancyId", "projectUserId", "id"),
  CONSTRAINT "ContactChannel_tenancyId_projectUserId_fkey" FOREIGN KEY ("tenancyId", "projectUserId")
    REFERENCES "ProjectUser" ("tenancyId", "projectUserId") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "ContactChannel_tenancyId_projectUserId_type_isPrimary_key"
  ON "ContactChannel" ("tenancyId", "projectUserId", "type", "isPrimary");
CREATE UNIQUE INDEX "ContactChannel_tenancyId_projectUserId_type_value_key"
  ON "ContactChannel" ("tenancyId", "projectUserId", "type", "value");
CREATE UNIQUE INDEX "ContactChannel_tenancyId_type_value_usedForAuth_key"
  ON "ContactChannel" ("tenancyId", "type", "value", "usedForAuth");
CREATE UNIQUE INDEX "ContactChannel_sequenceId_key" ON "ContactChannel" ("sequenceId");
CREATE INDEX "ContactChannel_tenancyId_sequenceId_idx" ON "ContactChannel" ("tenancyId", "sequenceId");
CREATE INDEX "ContactChannel_shouldUpdateSequenceId_idx" ON "ContactChannel" ("shouldUpdateSequenceId", "tenancyId");

CREATE TABLE "AuthMethod" (
  "tenancyId" UUID NOT NULL,
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "projectUserId" UUID NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "AuthMethod_pkey" PRIMARY KEY ("tenancyId", "id"),
  CONSTRAINT "AuthMethod_tenancyId_projectUserId_fkey" FOREIGN KEY ("tenancyId", "projectUserId")
    REFERENCES "ProjectUser" ("tenancyId", "projectUserId") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "AuthMethod_tenancyId_projectUserId_idx" ON "AuthMethod" ("tenancyId", "projectUserId");

CREATE TABLE "PasswordAuthMethod" (
  "tenancyId" UUID NOT NULL,
  "authMethodId" UUID NOT NULL,
  "projectUserId" UUID NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "passwordHash" TEXT NOT NULL,
  CONSTRAINT "PasswordAuthMethod_pkey" PRIMARY KEY ("tenancyId", "authMethodId"),
  CONSTRAINT "PasswordAuthMethod_tenancyId_authMethodId_fkey" FOREIGN KEY ("tenancyId", "authMethodId")
    REFERENCES "AuthMethod" ("tenancyId", "id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "PasswordAuthMethod_tenancyId_projectUserId_fkey" FOREIGN KEY ("tenancyId", "projectUserId")
    REFERENCES "ProjectUser" ("tenancyId", "projectUserId") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "PasswordAuthMethod_tenancyId_projectUserId_key"
  ON "PasswordAuthMethod" ("tenancyId", "projectUserId");

CREATE TABLE "ProjectUserOAuthAccount" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "tenancyId" UUID NOT NULL,
  "projectUserId" UUID,
  "configOAuthProviderId" TEXT NOT NULL,
  "providerAccountId" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "email" TEXT,
  "allowConnectedAccounts" BOOLEAN NOT NULL DEFAULT TRUE,
  "allowSignIn" BOOLEAN NOT NULL DEFAULT TRUE,
  "sequenceId" BIGINT,
  "shouldUpdateSequenceId" BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT "ProjectUserOAuthAccount_pkey" PRIMARY KEY ("tenancyId", "id"),
  CONSTRAINT "ProjectUserOAuthAccount_tenancyId_projectUserId_fkey" FOREIGN KEY ("tenancyId", "projectUserId")
    REFERENCES "ProjectUser" ("tenancyId", "projectUserId") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "ProjectUserOAuthAccount_tenancyId_configOAuthProviderId_projectUserId_providerAcc_key"
  ON "ProjectUserOAuthAccount" ("tenancyId", "configOAuthProviderId", "projectUserId", "providerAccountId");
CREATE INDEX "ProjectUserOAuthAccount_tenancyId_projectUserId_idx"
  ON "ProjectUserOAuthAccount" ("tenancyId", "projectUserId");
CREATE UNIQUE INDEX "ProjectUserOAuthAccount_sequenceId_key" ON "ProjectUserOAuthAccount" ("sequenceId");
CREATE INDEX "ProjectUserOAuthAccount_tenancyId_sequenceId_idx"
  ON "ProjectUserOAuthAccount" ("tenancyId", "sequenceId");
CREATE INDEX "ProjectUserOAuthAccount_shouldUpdateSequenceId_idx"
  ON "ProjectUserOAuthAccount" ("shouldUpdateSequenceId", "tenancyId");

CREATE TABLE "OAuthAuthMethod" (
  "tenancyId" UUID NOT NULL,
  "authMethodId" UUID NOT NULL,
  "configOAuthProviderId" TEXT NOT NULL,
  "providerAccountId" TEXT NOT NULL,
  "projectUserId" UUID NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "OAuthAuthMethod_pkey" PRIMARY KEY ("tenancyId", "authMethodId"),
  CONSTRAINT "OAuthAuthMethod_tenancyId_authMethodId_fkey" FOREIGN KEY ("tenancyId", "authMethodId")
    REFERENCES "AuthMethod" ("tenancyId", "id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "OAuthAuthMethod_oauthAccount_fkey"
    FOREIGN KEY ("tenancyId", "configOAuthProviderId", "projectUserId", "providerAccountId")
    REFERENCES "ProjectUserOAuthAccount" ("tenancyId", "configOAuthProviderId", "projectUserId", "providerAccountId")
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "OAuthAuthMethod_tenancyId_projectUserId_fkey" FOREIGN KEY ("tenancyId", "projectUserId")
    REFERENCES "ProjectUser" ("tenancyId", "projectUserId") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "OAuthAuthMethod_tenancyId_configOAuthProviderId_providerAccountId_key"
  ON "OAuthAuthMethod" ("tenancyId", "configOAuthProviderId", "providerAccountId");
CREATE UNIQUE INDEX "OAuthAuthMethod_tenancyId_projectUserId_configOAuthProviderId_key"
  ON "OAuthAuthMethod" ("tenancyId", "projectUserId", "configOAuthProviderId");

CREATE TABLE "OAuthOuterInfo" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "info" JSONB NOT NULL,
  "innerState" TEXT NOT NULL,
  "expiresAt" TIMESTAMP(3) NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "OAuthOuterInfo_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "OAuthOuterInfo_innerState_key" ON "OAuthOuterInfo" ("innerState");

CREATE TABLE "ProjectUserRefreshToken" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "tenancyId" UUID NOT NULL,
  "projectUserId" UUID NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "lastActiveAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "lastActiveAtIpInfo" JSONB,
  "refreshToken" TEXT NOT NULL,
  "expiresAt" TIMESTAMP(3),
  "isImpersonation" BOOLEAN NOT NULL DEFAULT FALSE,
  "sequenceId" BIGINT,
  "shouldUpdateSequenceId" BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT "ProjectUserRefreshToken_pkey" PRIMARY KEY ("tenancyId", "id"),
  CONSTRAINT "ProjectUserRefreshToken_tenancyId_projectUserId_fkey" FOREIGN KEY ("tenancyId", "projectUserId")
    REFERENCES "ProjectUser" ("tenancyId", "projectUserId") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "ProjectUserRefreshToken_refreshToken_key" ON "ProjectUserRefreshToken" ("refreshToken");
CREATE INDEX "ProjectUserRefreshToken_tenancyId_projectUserId_idx"
  ON "ProjectUserRefreshToken" ("tenancyId", "projectUserId");
CREATE UNIQUE INDEX "ProjectUserRefreshToken_sequenceId_key" ON "ProjectUserRefreshToken" ("sequenceId");
CREATE INDEX "ProjectUserRefreshToken_tenancyId_sequenceId_idx"
  ON "ProjectUserRefreshToken" ("tenancyId", "sequenceId");
CREATE INDEX "ProjectUserRefreshToken_shouldUpdateSequenceId_idx"
  ON "ProjectUserRefreshToken" ("shouldUpdateSequenceId", "tenancyId");

CREATE TABLE "ProjectUserAuthorizationCode" (
  "tenancyId" UUID NOT NULL,
  "projectUserId" UUID NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "authorizationCode" TEXT NOT NULL,
  "redirectUri" TEXT NOT NULL,
  "expiresAt" TIMESTAMP(3) NOT NULL,
  "codeChallenge" TEXT NOT NULL,
  "codeChallengeMethod" TEXT NOT NULL,
  "newUser" BOOLEAN NOT NULL,
  "afterCallbackRedirectUrl" TEXT,
  CONSTRAINT "ProjectUserAuthorizationCode_pkey" PRIMARY KEY ("tenancyId", "authorizationCode")
);
CREATE UNIQUE INDEX "ProjectUserAuthorizationCode_authorizationCode_key"
  ON "ProjectUserAuthorizationCode" ("authorizationCode");

CREATE TABLE "Team" (
  "tenancyId" UUID NOT NULL,
  "teamId" UUID NOT NULL DEFAULT gen_random_uuid(),
  "mirroredProjectId" TEXT NOT NULL,
  "mirroredBranchId" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "displayName" TEXT NOT NULL,
  "clientMetadata" JSONB,
  "clientReadOnlyMetadata" JSONB,
  "serverMetadata" JSONB,
  "profileImageUrl" TEXT,
  "sequenceId" BIGINT,
  "shouldUpdateSequenceId" BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT "Team_pkey" PRIMARY KEY ("tenancyId", "teamId")
);
CREATE UNIQUE INDEX "Team_mirroredProjectId_mirroredBranchId_teamId_key"
  ON "Team" ("mirroredProjectId", "mirroredBranchId", "teamId");
CREATE UNIQUE INDEX "Team_sequenceId_key" ON "Team" ("sequenceId");
CREATE INDEX "Team_tenancyId_sequenceId_idx" ON "Team" ("tenancyId", "sequenceId");
CREATE INDEX "Team_shouldUpdateSequenceId_idx" ON "Team" ("shouldUpdateSequenceId", "tenancyId");

CREATE TABLE "TeamMember" (
  "tenancyId" UUID NOT NULL,
  "projectUserId" UUID NOT NULL,
  "teamId" UUID NOT NULL,
  "displayName" TEXT,
  "profileImageUrl" TEXT,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "isSelected" "BooleanTrue",
  "sequenceId" BIGINT,
  "shouldUpdateSequenceId" BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("tenancyId", "projectUserId", "teamId"),
  CONSTRAINT "TeamMember_tenancyId_projectUserId_fkey" FOREIGN KEY ("tenancyId", "projectUserId")
    REFERENCES "ProjectUser" ("tenancyId", "projectUserId") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "TeamMember_tenancyId_teamId_fkey" FOREIGN KEY ("tenancyId", "teamId")
    REFERENCES "Team" ("tenancyId", "teamId") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "TeamMember_tenancyId_projectUserId_isSelected_key"
  ON "TeamMember" ("tenancyId", "projectUserId", "isSelected");
CREATE INDEX "TeamMember_projectUserId_isSelected_idx" ON "TeamMember" ("tenancyId", "projectUserId", "isSelected");
CREATE INDEX "TeamMember_tenancyId_teamId_idx" ON "TeamMember" ("tenancyId", "teamId");
CREATE UNIQUE INDEX "TeamMember_sequenceId_key" ON "TeamMember" ("sequenceId");
CREATE INDEX "TeamMember_tenancyId_sequenceId_idx" ON "TeamMember" ("tenancyId", "sequenceId");
CREATE INDEX "TeamMember_shouldUpdateSequenceId_idx" ON "TeamMember" ("shouldUpdateSequenceId", "tenancyId");

CREATE TABLE "TeamMemberDirectPermission" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "tenancyId" UUID NOT NULL,
  "projectUserId" UUID NOT NULL,
  "teamId" UUID NOT NULL,
  "permissionId" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "sequenceId" BIGINT,
  "shouldUpdateSequenceId" BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT "TeamMemberDirectPermission_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "TeamMemberDirectPermission_teamMember_fkey" FOREIGN KEY ("tenancyId", "projectUserId", "teamId")
    REFERENCES "TeamMember" ("tenancyId", "projectUserId", "teamId") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "TeamMemberDirectPermission_tenancyId_projectUserId_teamId_permissionId_key"
  ON "TeamMemberDirectPermission" ("tenancyId", "projectUserId", "teamId", "permissionId");
CREATE UNIQUE INDEX "TeamMemberDirectPermission_sequenceId_key" ON "TeamMemberDirectPermission" ("sequenceId");
CREATE INDEX "TeamMemberDirectPermission_tenancyId_sequenceId_idx"
  ON "TeamMemberDirectPermission" ("tenancyId", "sequenceId");
CREATE INDEX "TeamMemberDirectPermission_shouldUpdateSequenceId_idx"
  ON "TeamMemberDirectPermission" ("shouldUpdateSequenceId", "tenancyId");

CREATE TABLE "ProjectUserDirectPermission" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "tenancyId" UUID NOT NULL,
  "projectUserId" UUID NOT NULL,
  "permissionId" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "sequenceId" BIGINT,
  "shouldUpdateSequenceId" BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT "ProjectUserDirectPermission_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "ProjectUserDirectPermission_tenancyId_projectUserId_fkey" FOREIGN KEY ("tenancyId", "projectUserId")
    REFERENCES "ProjectUser" ("tenancyId", "projectUserId") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "ProjectUserDirectPermission_tenancyId_projectUserId_permissionId_key"
  ON "ProjectUserDirectPermission" ("tenancyId", "projectUserId", "permissionId");
CREATE UNIQUE INDEX "ProjectUserDirectPermission_sequenceId_key" ON "ProjectUserDirectPermission" ("sequenceId");
CREATE INDEX "ProjectUserDirectPermission_tenancyId_sequenceId_idx"
  ON "ProjectUserDirectPermission" ("tenancyId", "sequenceId");
CREATE INDEX "ProjectUserDirectPermission_shouldUpdateSequenceId_idx"
  ON "ProjectUserDirectPermission" ("shouldUpdateSequenceId", "tenancyId");

CREATE TABLE "UserNotificationPreference" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "tenancyId" UUID NOT NULL,
  "projectUserId" UUID NOT NULL,
  "notificationCategoryId" UUID NOT NULL,
  "enabled" BOOLEAN NOT NULL,
  "sequenceId" BIGINT,
  "shouldUpdateSequenceId" BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT "UserNotificationPreference_pkey" PRIMARY KEY ("tenancyId", "id"),
  CONSTRAINT "UserNotificationPreference_tenancyId_projectUserId_fkey" FOREIGN KEY ("tenancyId", "projectUserId")
    REFERENCES "ProjectUser" ("tenancyId", "projectUserId") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "UserNotificationPreference_tenancyId_projectUserId_notificationCategoryId_key"
  ON "UserNotificationPreference" ("tenancyId", "projectUserId", "notificationCategoryId");
CREATE UNIQUE INDEX "UserNotificationPreference_sequenceId_key" ON "UserNotificationPreference" ("sequenceId");
CREATE INDEX "UserNotificationPreference_tenancyId_sequenceId_idx"
  ON "UserNotificationPreference" ("tenancyId", "sequenceId");
CREATE INDEX "UserNotificationPreference_shouldUpdateSequenceId_idx"
  ON "UserNotificationPreference" ("shouldUpdateSequenceId", "tenancyId");

CREATE TABLE "VerificationCode" (
  "projectId" TEXT NOT NULL,
  "branchId" TEXT NOT NULL,
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "type" "VerificationCodeType" NOT NULL,
  "code" TEXT NOT NULL,
  "expiresAt" TIMESTAMP(3) NOT NULL,
  "usedAt" TIMESTAMP(3),
  "redirectUrl" TEXT,
  "method" JSONB NOT NULL DEFAULT 'null',
  "data" JSONB NOT NULL,
  "attemptCount" INTEGER NOT NULL DEFAULT 0,
  "sequenceId" BIGINT,
  "shouldUpdateSequenceId" BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT "VerificationCode_pkey" PRIMARY KEY ("projectId", "branchId", "id")
);
CREATE UNIQUE INDEX "VerificationCode_projectId_branchId_code_key" ON "VerificationCode" ("projectId", "branchId", "code");
CREATE INDEX "VerificationCode_data_idx" ON "VerificationCode" USING GIN ("data" jsonb_path_ops);
CREATE UNIQUE INDEX "VerificationCode_sequenceId_key" ON "VerificationCode" ("sequenceId");
CREATE INDEX "VerificationCode_shouldUpdateSequenceId_type_idx"
  ON "VerificationCode" ("shouldUpdateSequenceId", "type");

CREATE TABLE "DeletedRow" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "tenancyId" UUID NOT NULL,
  "tableName" TEXT NOT NULL,
  "sequenceId" BIGINT,
  "shouldUpdateSequenceId" BOOLEAN NOT NULL DEFAULT TRUE,
  "primaryKey" JSONB NOT NULL,
  "data" JSONB,
  "deletedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "startedFulfillingAt" TIMESTAMP(3),
  CONSTRAINT "DeletedRow_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "DeletedRow_sequenceId_key" ON "DeletedRow" ("sequenceId");
CREATE INDEX "DeletedRow_tableName_idx" ON "DeletedRow" ("tableName");
CREATE INDEX "DeletedRow_tenancyId_idx" ON "DeletedRow" ("tenancyId");
CREATE INDEX "DeletedRow_tenancyId_tableName_sequenceId_idx" ON "DeletedRow" ("tenancyId", "tableName", "sequenceId");
CREATE INDEX "DeletedRow_shouldUpdateSequenceId_idx" ON "DeletedRow" ("shouldUpdateSequenceId", "tenancyId");

CREATE TABLE "OutgoingRequest" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "qstashOptions" JSONB NOT NULL,
  "startedFulfillingAt" TIMESTAMP(3),
  "deduplicationKey" TEXT,
  CONSTRAINT "OutgoingRequest_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "OutgoingRequest_startedFulfillingAt_createdAt_idx" ON "OutgoingRequest" ("startedFulfillingAt", "createdAt");
CREATE INDEX "OutgoingRequest_startedFulfillingAt_deduplicationKey_idx"
  ON "OutgoingRequest" ("startedFulfillingAt", "deduplicationKey");
-- At most one PENDING request per key; claimed (in-flight) rows may share it (upstream 20260213000000).
CREATE UNIQUE INDEX "OutgoingRequest_deduplicationKey_pending_key"
  ON "OutgoingRequest" ("deduplicationKey") WHERE "startedFulfillingAt" IS NULL;

CREATE TABLE "ExternalDbSyncMetadata" (
  "id" TEXT NOT NULL DEFAULT gen_random_uuid(),
  "singleton" "BooleanTrue" NOT NULL DEFAULT 'TRUE',
  "sequencerEnabled" BOOLEAN NOT NULL DEFAULT TRUE,
  "pollerEnabled" BOOLEAN NOT NULL DEFAULT TRUE,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "ExternalDbSyncMetadata_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ExternalDbSyncMetadata_singleton_key" ON "ExternalDbSyncMetadata" ("singleton");

-- Emulator-only state (not upstream): the default project and the token signing key survive restarts.
CREATE TABLE "_hexclave_emulator_state" (
  "key" TEXT NOT NULL PRIMARY KEY,
  "value" JSONB NOT NULL,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
