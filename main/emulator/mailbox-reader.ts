import pg from 'pg';
import { MAIL_CHANNEL, MAILBOX_LIST_LIMIT, Mailbox, type MailMessage } from './domain/mail/index.js';

/** One mailbox (recipient local part) with how many messages it holds and how many are unread. */
export interface MailboxSummary {
  readonly mailbox: string;
  readonly count: number;
  readonly unseen: number;
  readonly latestAtMillis: number;
}

/**
 * The captured mail of an emulator, read straight from its internal database: what the desktop Mail screen (or a
 * test) uses, whether or not the emulator runs in this process. `close()` ends its connections.
 */
export interface MailboxReader {
  /** How many messages one `list` returns at most (the newest are kept). */
  readonly listLimit: number;
  /** Messages of one mailbox, or of all (newest `listLimit`), oldest first. */
  list(mailbox?: string): Promise<MailMessage[]>;
  /** Every mailbox that holds mail, most recent first. */
  mailboxes(): Promise<MailboxSummary[]>;
  /** One message (marks it seen). */
  get(mailbox: string, id: string): Promise<MailMessage | null>;
  /** Delete one message, one mailbox, or everything; returns how many were deleted. */
  clear(mailbox?: string, id?: string): Promise<number>;
  /** Called with the mailbox name whenever a message arrives; returns an unsubscribe function. */
  onMessage(listener: (mailbox: string) => void): Promise<() => void>;
  close(): Promise<void>;
}

export function openMailbox(databaseUrl: string): MailboxReader {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, options: '-c TimeZone=UTC' });
  pool.on('error', () => {});
  const mailbox = new Mailbox(pool);
  const listeners = new Set<(mailbox: string) => void>();
  let listening: Promise<pg.Client> | undefined;
  const listen = () => {
    listening ??= (async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      client.on('error', () => {});
      await client.connect();
      client.on('notification', (note) => {
        if (note.channel === MAIL_CHANNEL) for (const listener of listeners) listener(note.payload ?? '');
      });
      await client.query(`LISTEN ${MAIL_CHANNEL}`);
      return client;
    })();
    return listening;
  };
  return {
    listLimit: MAILBOX_LIST_LIMIT,
    list: (name) => mailbox.list(name),
    get: (name, id) => mailbox.get(name, id),
    clear: (name, id) => mailbox.clear(name, id),
    async mailboxes() {
      const { rows } = await pool.query<MailboxSummary>(
        `SELECT "mailbox", count(*)::int AS "count", count(*) FILTER (WHERE NOT "seen")::int AS "unseen",
           floor(extract(epoch from max("receivedAt")) * 1000)::float8 AS "latestAtMillis"
         FROM "_hexclave_mail" GROUP BY "mailbox" ORDER BY max("receivedAt") DESC`,
      );
      return rows;
    },
    async onMessage(listener) {
      listeners.add(listener);
      await listen();
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      if (listening) await (await listening.catch(() => null))?.end().catch(() => {});
      await pool.end();
    },
  };
}
