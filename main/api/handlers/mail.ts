import { MAIL_BODY_LIMIT, type MailMessageView, type MailSummary } from '../../../shared/api/index.js';
import { findMailCodes } from '../../../shared/mail-codes.js';
import type { MailMessage } from '../../emulator/index.js';
import type { ApiHandlers } from '../dispatcher.js';
import { ApiError } from '../dispatcher.js';
import type { AppContext } from './context.js';

function summary(message: MailMessage): MailSummary {
  return {
    id: message.id,
    mailbox: message.mailbox,
    kind: message.kind,
    from: message.from,
    to: message.to,
    subject: message.subject,
    receivedAtMillis: message.receivedAtMillis,
    seen: message.seen,
    relayResult: message.relayResult,
    codes: findMailCodes(message),
  };
}

function full(message: MailMessage): MailMessageView {
  const truncated = message.text.length > MAIL_BODY_LIMIT || message.html.length > MAIL_BODY_LIMIT;
  return {
    ...summary(message),
    text: message.text.slice(0, MAIL_BODY_LIMIT),
    html: message.html.slice(0, MAIL_BODY_LIMIT),
    truncated,
  };
}

/** The Mail screen: an emulator project's captured e-mail, read from its database (what Mailpit gives). */
export function mailHandlers({
  workspace,
}: AppContext): Pick<ApiHandlers, 'mail.list' | 'mail.get' | 'mail.clear'> {
  return {
    async 'mail.list'({ project, mailbox }) {
      const reader = await workspace.mailbox(project);
      const [mailboxes, messages] = await Promise.all([reader.mailboxes(), reader.list(mailbox)]);
      return { mailboxes, messages: messages.reverse().map(summary), listLimit: reader.listLimit };
    },
    async 'mail.get'({ project, mailbox, id }) {
      const message = await (await workspace.mailbox(project)).get(mailbox, id);
      if (!message)
        throw new ApiError('NotFound', 'This message is gone: it was cleared, or the emulator was reset.');
      return full(message);
    },
    async 'mail.clear'({ project, mailbox, id }) {
      return { deleted: await (await workspace.mailbox(project)).clear(mailbox, id) };
    },
  };
}
