-- Sign-up facts upstream added to ProjectUser (its risk-score migrations). The emulator keeps the 0 defaults
-- so plain-SQL fixtures that predate these columns still insert.
ALTER TABLE "ProjectUser"
  ADD COLUMN "signUpRiskScoreBot" SMALLINT NOT NULL DEFAULT 0,
  ADD COLUMN "signUpRiskScoreFreeTrialAbuse" SMALLINT NOT NULL DEFAULT 0,
  ADD COLUMN "signUpCountryCode" TEXT,
  ADD CONSTRAINT "ProjectUser_risk_score_bot_range"
    CHECK ("signUpRiskScoreBot" >= 0 AND "signUpRiskScoreBot" <= 100),
  ADD CONSTRAINT "ProjectUser_risk_score_free_trial_abuse_range"
    CHECK ("signUpRiskScoreFreeTrialAbuse" >= 0 AND "signUpRiskScoreFreeTrialAbuse" <= 100);

-- Keyset pagination of GET /users orders by the sign-up time (createdAt for rows inserted without one), then id.
CREATE INDEX "ProjectUser_tenancyId_signUpOrder_idx"
  ON "ProjectUser" ("tenancyId", (COALESCE("signedUpAt", "createdAt")), "projectUserId");
