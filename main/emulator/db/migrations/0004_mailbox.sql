-- Emulator-only (not upstream): every e-mail the backend would have sent, captured instead of delivered. The
-- Inbucket-compatible mailbox API and the desktop Mail screen read it; a mailbox is the recipient's local part.
CREATE TABLE "_hexclave_mail" (
  "id" TEXT NOT NULL,
  "mailbox" TEXT NOT NULL,
  "tenancyId" UUID,
  "kind" TEXT NOT NULL,
  "fromAddress" TEXT NOT NULL,
  "toAddress" TEXT NOT NULL,
  "subject" TEXT NOT NULL,
  "textBody" TEXT NOT NULL,
  "htmlBody" TEXT NOT NULL,
  "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "seen" BOOLEAN NOT NULL DEFAULT FALSE,
  -- null: not relayed (no relay configured); otherwise 'sent' or the relay's error.
  "relayResult" TEXT,
  CONSTRAINT "_hexclave_mail_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "_hexclave_mail_mailbox_receivedAt_idx" ON "_hexclave_mail" ("mailbox", "receivedAt");
CREATE INDEX "_hexclave_mail_receivedAt_idx" ON "_hexclave_mail" ("receivedAt");
