import type { MailboxReader } from '../emulator/index.js';

interface Attached {
  readonly reader: MailboxReader;
  readonly ready: Promise<void>;
}

/**
 * The captured mail of each running emulator project, read straight from its internal database (the emulator
 * runs in the project's worker; its mailbox is a table there). Each project's reader also listens for new mail,
 * so the Mail screen updates live.
 */
export class ProjectMailboxes {
  private readonly attached = new Map<string, Attached>();
  private readonly attaching = new Map<string, Promise<void>>();

  constructor(private readonly onMail: (project: string, mailbox: string) => void) {}

  /** Start reading a project's mailbox (again, after a restart: the database URL may have changed). */
  attach(project: string, internalDatabaseUrl: string): Promise<void> {
    const attaching = this.open(project, internalDatabaseUrl).finally(() => {
      if (this.attaching.get(project) === attaching) this.attaching.delete(project);
    });
    this.attaching.set(project, attaching);
    return attaching;
  }

  private async open(project: string, internalDatabaseUrl: string): Promise<void> {
    await this.detach(project);
    // Loaded on first use: the emulator's modules stay out of the app's start-up.
    const { openMailbox } = await import('../emulator/index.js');
    const reader = openMailbox(internalDatabaseUrl);
    const ready = reader
      .onMessage((mailbox) => this.onMail(project, mailbox))
      .then(
        () => {},
        () => {},
      );
    this.attached.set(project, { reader, ready });
  }

  /** The project's reader once it is open; null for a project without one. */
  async reader(project: string): Promise<MailboxReader | null> {
    await this.attaching.get(project)?.catch(() => {});
    return this.attached.get(project)?.reader ?? null;
  }

  /** Close a project's connections before its database goes away. */
  async detach(project: string): Promise<void> {
    const current = this.attached.get(project);
    if (!current) return;
    this.attached.delete(project);
    await current.ready;
    await current.reader.close().catch(() => {});
  }
}
