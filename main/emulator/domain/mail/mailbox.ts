import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { type MailMessage, mailboxName, type OutgoingEmail } from './message.js';

/** Channel notified (payload: the mailbox name) whenever a message is captured. */
export const MAIL_CHANNEL = 'hexclave_mail';
/** How many messages one listing returns at most (newest kept). */
export const MAILBOX_LIST_LIMIT = 500;

const COLUMNS = `"id", "mailbox", "tenancyId", "kind", "fromAddress" AS "from", "toAddress" AS "to", "subject",
  "textBody" AS "text", "htmlBody" AS "html", floor(extract(epoch from "receivedAt") * 1000)::float8 AS "receivedAtMillis",
  "seen", "relayResult"`;

/** Sortable ids like Inbucket's: UTC time, then randomness so two in one millisecond never collide. */
function messageId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
  return `${stamp}-${now.getUTCMilliseconds().toString().padStart(3, '0')}${randomBytes(3).toString('hex')}`;
}

/** The captured e-mails, in the emulator's database. */
export class Mailbox {
  constructor(private readonly db: Queryable) {}

  async capture(email: OutgoingEmail): Promise<MailMessage> {
    const { rows } = await this.db.query<MailMessage>(
      `WITH inserted AS (
         INSERT INTO "_hexclave_mail" ("id", "mailbox", "tenancyId", "kind", "fromAddress", "toAddress", "subject",
           "textBody", "htmlBody", "receivedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() AT TIME ZONE 'UTC') RETURNING *
       ), notified AS (SELECT pg_notify('${MAIL_CHANNEL}', $2))
       SELECT ${COLUMNS} FROM inserted, notified`,
      [
        messageId(new Date()),
        mailboxName(email.to),
        email.tenancyId,
        email.kind,
        email.from,
        email.to,
        email.subject,
        email.text,
        email.html,
      ],
    );
    return rows[0]!;
  }

  async recordRelay(id: string, result: string): Promise<void> {
    await this.db.query(`UPDATE "_hexclave_mail" SET "relayResult" = $2 WHERE "id" = $1`, [id, result]);
  }

  /** One mailbox's messages, oldest first (Inbucket's order), or every mailbox's when `mailbox` is omitted. */
  async list(mailbox?: string): Promise<MailMessage[]> {
    const { rows } = await this.db.query<MailMessage>(
      `SELECT * FROM (
         SELECT ${COLUMNS} FROM "_hexclave_mail" WHERE ($1::text IS NULL OR "mailbox" = $1)
         ORDER BY "receivedAt" DESC, "id" DESC LIMIT ${MAILBOX_LIST_LIMIT}
       ) newest ORDER BY "receivedAtMillis", "id"`,
      [mailbox === undefined ? null : mailboxName(mailbox)],
    );
    return rows;
  }

  /** One message; reading it marks it seen, as Inbucket does. */
  async get(mailbox: string, id: string): Promise<MailMessage | null> {
    const { rows } = await this.db.query<MailMessage>(
      `UPDATE "_hexclave_mail" SET "seen" = true WHERE "mailbox" = $1 AND "id" = $2 RETURNING ${COLUMNS}`,
      [mailboxName(mailbox), id],
    );
    return rows[0] ?? null;
  }

  /** Delete one message, one mailbox, or (no arguments) everything; returns how many were deleted. */
  async clear(mailbox?: string, id?: string): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM "_hexclave_mail" WHERE ($1::text IS NULL OR "mailbox" = $1) AND ($2::text IS NULL OR "id" = $2)`,
      [mailbox === undefined ? null : mailboxName(mailbox), id ?? null],
    );
    return rowCount ?? 0;
  }
}
