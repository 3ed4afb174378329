/**
 * Mail: every e-mail the backend would send is rendered here, captured in the mailbox (a table of the emulator's
 * database) and, when configured, relayed to a real SMTP server. Other domains call `MailService.sendTemplate`.
 */
export { MAIL_CHANNEL, MAILBOX_LIST_LIMIT, Mailbox } from './mailbox.js';
export type { EmailKind, MailMessage, OutgoingEmail } from './message.js';
export { mailboxName } from './message.js';
export type { MailRelay, Sender } from './service.js';
export { MailService, SHARED_SENDER_ADDRESS } from './service.js';
export { createSmtpRelay } from './smtp-relay.js';
export type { RenderedEmail, TemplateVariables } from './templates.js';
export { renderEmail } from './templates.js';
