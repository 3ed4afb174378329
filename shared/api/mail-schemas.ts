import { z } from 'zod';

/** A mailbox of a project's emulator (the recipient's local part, as Inbucket names them). */
export const MailboxSummarySchema = z.object({
  mailbox: z.string(),
  count: z.number().int(),
  unseen: z.number().int(),
  latestAtMillis: z.number(),
});

/** What to copy out of an e-mail (see shared/mail-codes.ts). */
export const MailCodesSchema = z.object({
  otp: z.string().nullable(),
  link: z.string().nullable(),
  code: z.string().nullable(),
});

/** One captured e-mail as the list shows it: no bodies, the codes ready to copy. */
export const MailSummarySchema = z.object({
  id: z.string(),
  mailbox: z.string(),
  /** email-verification, sign-in-code, password-reset, team-invitation or custom. */
  kind: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  receivedAtMillis: z.number(),
  seen: z.boolean(),
  /** null without an SMTP relay; otherwise 'sent' or the relay's error. */
  relayResult: z.string().nullable(),
  codes: MailCodesSchema,
});
export type MailSummary = z.output<typeof MailSummarySchema>;

/** One e-mail with its bodies, each cut at MAIL_BODY_LIMIT characters. */
export const MailMessageSchema = MailSummarySchema.extend({
  text: z.string(),
  html: z.string(),
  truncated: z.boolean(),
});
export type MailMessageView = z.output<typeof MailMessageSchema>;

export const MAIL_BODY_LIMIT = 200_000;
