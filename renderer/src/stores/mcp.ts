import { create } from 'zustand';
import type { ApiOutput } from '../../../shared/api/contract.js';
import { api } from '../api.js';

interface McpState {
  project: string | null;
  data: ApiOutput<'mcp.status'> | null;
  state: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  load(project: string): Promise<void>;
}

export const useMcpStore = create<McpState>((set, get) => ({
  project: null,
  data: null,
  state: 'idle',
  error: null,
  async load(project) {
    if (get().project !== project) set({ project, data: null });
    set({ state: get().data ? 'ready' : 'loading' });
    try {
      const data = await api.call('mcp.status', { project });
      if (get().project === project) set({ data, state: 'ready', error: null });
    } catch (error) {
      if (get().project === project) set({ state: 'error', error: (error as Error).message });
    }
  },
}));
