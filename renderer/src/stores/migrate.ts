import { create } from 'zustand';
import type { ApiOutput } from '../../../shared/api/contract.js';
import { api } from '../api.js';

interface MigrateState {
  project: string | null;
  report: ApiOutput<'scan.project'> | null;
  state: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** Scan the project's folder again; an answer for a project the user has left is dropped. */
  load(project: string): Promise<void>;
}

export const useMigrateStore = create<MigrateState>((set, get) => ({
  project: null,
  report: null,
  state: 'idle',
  error: null,
  async load(project) {
    if (get().project !== project) set({ project, report: null });
    set({ state: 'loading', error: null });
    try {
      const report = await api.call('scan.project', { project });
      if (get().project === project) set({ report, state: 'ready' });
    } catch (error) {
      if (get().project === project) set({ state: 'error', error: (error as Error).message });
    }
  },
}));
