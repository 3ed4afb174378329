import type { Mailbox } from './mailbox.js';
import type { MailMessage, OutgoingEmail } from './message.js';
import { renderEmail, type TemplateVariables } from './templates.js';

/** The shared sender of every project without its own e-mail server, as upstream's shared server. */
export const SHARED_SENDER_ADDRESS = 'noreply@example.com';

/** Hands a captured message to a real mail server; resolves to 'sent' or rejects with the server's error. */
export interface MailRelay {
  relay(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

/** Who a project's e-mail comes from: its own sender when it configured a server, else the shared one. */
export interface Sender {
  readonly name: string;
  readonly address?: string;
}

/**
 * Where every e-mail the backend sends goes (the interface domains call): rendered, captured in the mailbox,
 * and relayed when a relay is configured. Capture never fails because of the relay; a relay error is recorded
 * on the message and logged.
 */
export class MailService {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    readonly mailbox: Mailbox,
    private readonly relay: MailRelay | null,
    private readonly log: (line: string) => void,
  ) {}

  /** Render one of upstream's transactional e-mails and send it. */
  sendTemplate(
    to: string,
    sender: Sender,
    tenancyId: string | null,
    vars: TemplateVariables,
  ): Promise<MailMessage> {
    const rendered = renderEmail(vars);
    return this.send({
      ...rendered,
      tenancyId,
      from: `${sender.name} <${sender.address ?? SHARED_SENDER_ADDRESS}>`,
      to,
    });
  }

  async send(email: OutgoingEmail): Promise<MailMessage> {
    const message = await this.mailbox.capture(email);
    if (this.relay) {
      const relayed = this.relay
        .relay(message)
        .then(() => this.mailbox.recordRelay(message.id, 'sent'))
        .catch(async (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          this.log(`Mail relay failed for message ${message.id}: ${reason}`);
          await this.mailbox.recordRelay(message.id, `error: ${reason}`).catch(() => {});
        })
        .finally(() => this.pending.delete(relayed));
      this.pending.add(relayed);
    }
    return message;
  }

  /** Wait for relays in flight, then close the relay's connections. */
  async close(): Promise<void> {
    await Promise.all([...this.pending]);
    await this.relay?.close();
  }
}
