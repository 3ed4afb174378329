-- Upstream's OtpAuthMethod: a user who may sign in with an e-mailed code (OTP / magic link); one per user.
CREATE TABLE "OtpAuthMethod" (
  "tenancyId" UUID NOT NULL,
  "authMethodId" UUID NOT NULL,
  "projectUserId" UUID NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "OtpAuthMethod_pkey" PRIMARY KEY ("tenancyId", "authMethodId"),
  CONSTRAINT "OtpAuthMethod_tenancyId_authMethodId_fkey" FOREIGN KEY ("tenancyId", "authMethodId")
    REFERENCES "AuthMethod" ("tenancyId", "id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "OtpAuthMethod_tenancyId_projectUserId_fkey" FOREIGN KEY ("tenancyId", "projectUserId")
    REFERENCES "ProjectUser" ("tenancyId", "projectUserId") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "OtpAuthMethod_tenancyId_projectUserId_key" ON "OtpAuthMethod" ("tenancyId", "projectUserId");
