import { create } from 'zustand';
import type { EventPayload } from '../../../shared/api/contract.js';
import type { TrafficDetail, TrafficSummary } from '../../../shared/api/workspace-schemas.js';
import { parseTrafficFilter, type TrafficFilter } from '../../../shared/traffic-filter.js';
import { api } from '../api.js';
import { downloadText } from '../lib/download.js';
import { mergeTrafficRows } from '../lib/traffic-rows.js';

/** As many as main keeps per project (traffic.list's maximum). */
const MAX_ITEMS = 20_000;

interface TrafficState {
  project: string | null;
  items: TrafficSummary[];
  /** `items` through the filter, in capture order. */
  visible: TrafficSummary[];
  loadState: 'idle' | 'loading' | 'ready' | 'error';
  loadError: string | null;
  filterText: string;
  filterError: string | null;
  /** Terms of the filter left out for now (a key with no value yet). */
  filterNote: string | null;
  selectedSeq: number | null;
  detail: TrafficDetail | null;
  detailState: 'idle' | 'loading' | 'ready' | 'error';
  detailError: string | null;
  actionError: string | null;
  open(project: string): Promise<void>;
  receive(batch: EventPayload<'traffic.item'>[]): void;
  setFilter(text: string): void;
  select(seq: number | null): Promise<void>;
  /** Fetch the selected exchange again (its row changed). */
  refreshDetail(): Promise<void>;
  clear(): Promise<void>;
  /** Sanitized HAR of the given exchanges, or of what the filter shows. */
  exportHar(seqs?: number[]): Promise<void>;
  /** The selected exchange as a cURL command with its secrets, asked for only when the user says so. */
  curlWithSecrets(seq: number): Promise<string>;
}

let filter: TrafficFilter | null = null;

const applyFilter = (items: TrafficSummary[]) => (filter ? items.filter((i) => filter!.matches(i)) : items);

export const useTrafficStore = create<TrafficState>((set, get) => ({
  project: null,
  items: [],
  visible: [],
  loadState: 'idle',
  loadError: null,
  filterText: '',
  filterError: null,
  filterNote: null,
  selectedSeq: null,
  detail: null,
  detailState: 'idle',
  detailError: null,
  actionError: null,

  async open(project) {
    if (get().project !== project) {
      set({ project, items: [], visible: [], selectedSeq: null, detail: null, detailState: 'idle' });
    }
    set({ loadState: get().items.length ? 'ready' : 'loading' });
    try {
      const lastSeq = get().items.at(-1)?.seq ?? 0;
      const { items } = await api.call('traffic.list', { project, afterSeq: lastSeq, limit: MAX_ITEMS });
      if (get().project !== project) return;
      get().receive(items.map((item) => ({ project, item })));
      set({ loadState: 'ready', loadError: null });
    } catch (error) {
      if (get().project === project) set({ loadState: 'error', loadError: (error as Error).message });
    }
  },

  receive(batch) {
    const { project, items, visible } = get();
    const mine = batch.filter((p) => p.project === project).map((p) => p.item);
    const merged = mergeTrafficRows(
      { items, visible },
      mine,
      (item) => !filter || filter.matches(item),
      MAX_ITEMS,
    );
    if (!merged) return;
    set(merged);
    // A request another capturer saw too comes again with its seq: the open detail shows its merged verdict, so
    // it is fetched again when a new sighting of the selected (listed) row joined.
    const { selectedSeq } = get();
    if (selectedSeq !== null && mine.some((item) => item.seq === selectedSeq)) void get().refreshDetail();
  },

  async refreshDetail() {
    const { project, selectedSeq } = get();
    if (!project || selectedSeq === null) return;
    try {
      const detail = await api.call('traffic.get', { project, seq: selectedSeq });
      if (get().selectedSeq === selectedSeq) set({ detail, detailState: 'ready' });
    } catch {
      // The detail shown stays; the next selection reports errors.
    }
  },

  setFilter(text) {
    const parsed = parseTrafficFilter(text);
    if (!parsed.ok) {
      // The list shows what the filter on screen matches: an invalid one matches nothing, never the last good one.
      filter = { terms: [], matches: () => false };
      set({ filterText: text, filterError: parsed.error, filterNote: null, visible: [] });
      return;
    }
    filter = parsed.filter.terms.length ? parsed.filter : null;
    set({
      filterText: text,
      filterError: null,
      filterNote: parsed.notes.length ? parsed.notes.join(' ') : null,
      visible: applyFilter(get().items),
    });
  },

  async select(seq) {
    const { project } = get();
    if (seq === get().selectedSeq && get().detailState !== 'error') return;
    set({
      selectedSeq: seq,
      detail: null,
      detailError: null,
      detailState: seq === null ? 'idle' : 'loading',
    });
    if (!project || seq === null) return;
    try {
      const detail = await api.call('traffic.get', { project, seq });
      if (get().selectedSeq === seq) set({ detail, detailState: 'ready' });
    } catch (error) {
      if (get().selectedSeq === seq) set({ detailState: 'error', detailError: (error as Error).message });
    }
  },

  async clear() {
    const { project } = get();
    if (!project) return;
    try {
      await api.call('traffic.clear', { project });
      set({
        items: [],
        visible: [],
        selectedSeq: null,
        detail: null,
        detailState: 'idle',
        actionError: null,
      });
    } catch (error) {
      set({ actionError: (error as Error).message });
    }
  },

  async curlWithSecrets(seq) {
    const { project } = get();
    if (!project) throw new Error('No project is open.');
    return (await api.call('traffic.curlWithSecrets', { project, seq })).command;
  },

  async exportHar(only) {
    const { project, visible, items } = get();
    if (!project) return;
    try {
      const seqs = only ?? (visible.length !== items.length ? visible.map((i) => i.seq) : undefined);
      const file = await api.call('traffic.exportHar', { project, seqs, unsafe: false });
      downloadText(file.fileName, 'application/json', file.content);
      set({ actionError: null });
    } catch (error) {
      set({ actionError: (error as Error).message });
    }
  },
}));
