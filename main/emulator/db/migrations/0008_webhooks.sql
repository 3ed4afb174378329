-- Emulator-only (not upstream): webhooks. Upstream hands its events to a Svix server; the emulator keeps Svix's
-- model in its own database — per project (a Svix "application") the endpoints, each event as a message, and one
-- delivery attempt per message and endpoint — and serves a Svix-compatible API over it.
CREATE TABLE "_hexclave_webhook_endpoint" (
  "id" TEXT NOT NULL,
  "projectId" TEXT NOT NULL,
  "uid" TEXT,
  "url" TEXT NOT NULL,
  "description" TEXT NOT NULL DEFAULT '',
  -- whsec_<base64>: the key every delivery to this endpoint is signed with.
  "secret" TEXT NOT NULL,
  -- null: every event type.
  "filterTypes" TEXT[],
  "channels" TEXT[],
  "disabled" BOOLEAN NOT NULL DEFAULT FALSE,
  "metadata" JSONB NOT NULL DEFAULT '{}',
  "seq" BIGSERIAL NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  CONSTRAINT "_hexclave_webhook_endpoint_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "_hexclave_webhook_endpoint_projectId_fkey" FOREIGN KEY ("projectId")
    REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "_hexclave_webhook_endpoint_projectId_seq_idx" ON "_hexclave_webhook_endpoint" ("projectId", "seq");
CREATE UNIQUE INDEX "_hexclave_webhook_endpoint_projectId_uid_key" ON "_hexclave_webhook_endpoint" ("projectId", "uid");

CREATE TABLE "_hexclave_webhook_message" (
  "id" TEXT NOT NULL,
  "projectId" TEXT NOT NULL,
  "eventType" TEXT NOT NULL,
  "eventId" TEXT,
  -- json, not jsonb: delivered and listed byte for byte as it was recorded.
  "payload" JSON NOT NULL,
  "channels" TEXT[],
  "seq" BIGSERIAL NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  CONSTRAINT "_hexclave_webhook_message_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "_hexclave_webhook_message_projectId_fkey" FOREIGN KEY ("projectId")
    REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "_hexclave_webhook_message_projectId_seq_idx" ON "_hexclave_webhook_message" ("projectId", "seq");

CREATE TABLE "_hexclave_webhook_attempt" (
  "id" TEXT NOT NULL,
  "messageId" TEXT NOT NULL,
  "endpointId" TEXT NOT NULL,
  "url" TEXT NOT NULL,
  -- Svix's MessageStatus: 0 success, 1 pending, 2 fail, 3 sending.
  "status" SMALLINT NOT NULL DEFAULT 1,
  -- 0 when no HTTP response came back (refused, timed out).
  "responseStatusCode" INTEGER NOT NULL DEFAULT 0,
  "response" TEXT NOT NULL DEFAULT '',
  "responseDurationMs" INTEGER NOT NULL DEFAULT 0,
  -- Svix's MessageAttemptTriggerType: 0 scheduled, 1 manual (a resend).
  "triggerType" SMALLINT NOT NULL DEFAULT 0,
  "seq" BIGSERIAL NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  CONSTRAINT "_hexclave_webhook_attempt_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "_hexclave_webhook_attempt_messageId_fkey" FOREIGN KEY ("messageId")
    REFERENCES "_hexclave_webhook_message" ("id") ON DELETE CASCADE,
  CONSTRAINT "_hexclave_webhook_attempt_endpointId_fkey" FOREIGN KEY ("endpointId")
    REFERENCES "_hexclave_webhook_endpoint" ("id") ON DELETE CASCADE
);
CREATE INDEX "_hexclave_webhook_attempt_endpointId_seq_idx" ON "_hexclave_webhook_attempt" ("endpointId", "seq");
CREATE INDEX "_hexclave_webhook_attempt_messageId_seq_idx" ON "_hexclave_webhook_attempt" ("messageId", "seq");
CREATE INDEX "_hexclave_webhook_attempt_queue_idx" ON "_hexclave_webhook_attempt" ("seq") WHERE "status" IN (1, 3);

-- Tokens for the Svix-compatible API (upstream's /webhooks/svix-token), stored as their sha256.
CREATE TABLE "_hexclave_webhook_token" (
  "tokenHash" TEXT NOT NULL,
  "projectId" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  CONSTRAINT "_hexclave_webhook_token_pkey" PRIMARY KEY ("tokenHash"),
  CONSTRAINT "_hexclave_webhook_token_projectId_fkey" FOREIGN KEY ("projectId")
    REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
