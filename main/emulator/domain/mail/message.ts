/** What the backend sends; the kinds are upstream's transactional e-mails. */
export type EmailKind =
  | 'email-verification'
  | 'sign-in-code'
  | 'password-reset'
  | 'team-invitation'
  | 'custom';

/** A rendered e-mail, ready to capture (and relay). */
export interface OutgoingEmail {
  readonly kind: EmailKind;
  /** The tenancy it was sent for; null for mail that belongs to no project. */
  readonly tenancyId: string | null;
  /** `Name <address>` */
  readonly from: string;
  /** The recipient's bare address. */
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A captured e-mail as the mailbox keeps it. */
export interface MailMessage extends OutgoingEmail {
  readonly id: string;
  readonly mailbox: string;
  readonly receivedAtMillis: number;
  readonly seen: boolean;
  /** null when no relay is configured; otherwise 'sent' or the relay's error. */
  readonly relayResult: string | null;
}

/** Inbucket's mailbox naming ("local" policy): the recipient's local part, lower-cased. */
export function mailboxName(address: string): string {
  const at = address.lastIndexOf('@');
  return (at === -1 ? address : address.slice(0, at)).trim().toLowerCase();
}
