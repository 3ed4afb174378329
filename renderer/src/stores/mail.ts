import { create } from 'zustand';
import type { ApiOutput } from '../../../shared/api/contract.js';
import { api } from '../api.js';

type MailList = ApiOutput<'mail.list'>;
type MailMessage = ApiOutput<'mail.get'>;

interface MailState {
  project: string | null;
  /** The mailbox the list shows, or null for every mailbox. */
  mailbox: string | null;
  data: MailList | null;
  state: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** The open message (its mailbox and id), its bodies once read, and why it could not be read. */
  openId: string | null;
  message: MailMessage | null;
  messageError: string | null;
  /** The last clear that failed, said next to the buttons. */
  clearError: string | null;
  load(project: string): Promise<void>;
  selectMailbox(mailbox: string | null): void;
  open(mailbox: string, id: string): Promise<void>;
  clear(scope: { mailbox?: string; id?: string }): Promise<void>;
  /** A `mail.received` event: reload when it is the project on screen. */
  received(project: string): void;
}

export const useMailStore = create<MailState>((set, get) => ({
  project: null,
  mailbox: null,
  data: null,
  state: 'idle',
  error: null,
  openId: null,
  message: null,
  messageError: null,
  clearError: null,
  async load(project) {
    if (get().project !== project) {
      set({ project, mailbox: null, data: null, openId: null, message: null, messageError: null });
    }
    set({ state: get().data ? 'ready' : 'loading' });
    const { mailbox } = get();
    try {
      const data = await api.call('mail.list', { project, ...(mailbox ? { mailbox } : {}) });
      if (get().project === project && get().mailbox === mailbox) set({ data, state: 'ready', error: null });
    } catch (error) {
      if (get().project === project) set({ state: 'error', error: (error as Error).message });
    }
  },
  selectMailbox(mailbox) {
    const { project } = get();
    set({ mailbox, openId: null, message: null, messageError: null });
    if (project) void get().load(project);
  },
  async open(mailbox, id) {
    const { project } = get();
    if (!project) return;
    set({ openId: id, message: null, messageError: null });
    try {
      const message = await api.call('mail.get', { project, mailbox, id });
      if (get().openId !== id) return;
      set({ message });
      // Reading marks it seen: refresh the unread counts.
      void get().load(project);
    } catch (error) {
      if (get().openId === id) set({ messageError: (error as Error).message });
    }
  },
  async clear(scope) {
    const { project } = get();
    if (!project) return;
    set({ clearError: null });
    try {
      await api.call('mail.clear', { project, ...scope });
      const { openId } = get();
      if (!scope.id || scope.id === openId) set({ openId: null, message: null, messageError: null });
      if (scope.mailbox && !scope.id) set({ mailbox: null });
      await get().load(project);
    } catch (error) {
      set({ clearError: (error as Error).message });
    }
  },
  received(project) {
    if (get().project === project) void get().load(project);
  },
}));
