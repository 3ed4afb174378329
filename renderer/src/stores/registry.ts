import { create } from 'zustand';
import type { ApiOutput } from '../../../shared/api/contract.js';
import { api } from '../api.js';

type Entry = ApiOutput<'registry.search'>['entries'][number];

interface RegistryState {
  query: string;
  entries: Entry[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  selectedId: string | null;
  setQuery(query: string): void;
  select(id: string | null): void;
}

let latestRequest = 0;

export const useRegistryStore = create<RegistryState>((set) => ({
  query: '',
  entries: [],
  status: 'idle',
  error: null,
  selectedId: null,
  setQuery(query) {
    set({ query, status: 'loading' });
    const request = ++latestRequest;
    api
      .call('registry.search', { query })
      .then((result) => {
        // Drop answers to queries the user has already typed past.
        if (request === latestRequest) set({ entries: result.entries, status: 'ready', error: null });
      })
      .catch((error: Error) => {
        if (request === latestRequest) set({ status: 'error', error: error.message });
      });
  },
  select(selectedId) {
    set({ selectedId });
  },
}));
