import { create } from 'zustand';
import type { ApiOutput, EventPayload } from '../../../shared/api/contract.js';
import type { SyncStage, SyncStatus } from '../../../shared/sync/status.js';
import { api } from '../api.js';
import { type ChartColumns, SampleWindow } from '../lib/sample-window.js';

type SyncError = ApiOutput<'sync.status'>['errors'][number];
const MAX_ERRORS = 100;

interface SyncState {
  project: string | null;
  status: SyncStatus | null;
  errors: SyncError[];
  chart: ChartColumns;
  loadState: 'idle' | 'loading' | 'ready' | 'error';
  loadError: string | null;
  /** Live status updates applied since the screen opened (one per animation frame at most). */
  liveUpdates: number;
  stageBusy: Partial<Record<SyncStage, boolean>>;
  stageError: string | null;
  syncNow: { running: boolean; result: ApiOutput<'sync.now'> | null; error: string | null };
  open(project: string): Promise<void>;
  receive(batch: EventPayload<'sync.status'>[]): void;
  receiveEvent(payload: EventPayload<'sync.event'>): void;
  setStage(stage: SyncStage, enabled: boolean): Promise<void>;
  runSyncNow(): Promise<void>;
}

// Outside the store: the window is mutated in place and copied into `chart` once per frame.
const samples = new SampleWindow();

export const useSyncStore = create<SyncState>((set, get) => ({
  project: null,
  status: null,
  errors: [],
  chart: samples.columns(),
  loadState: 'idle',
  loadError: null,
  liveUpdates: 0,
  stageBusy: {},
  stageError: null,
  syncNow: { running: false, result: null, error: null },

  async open(project) {
    if (get().project !== project) {
      samples.reset([]);
      set({
        project,
        status: null,
        errors: [],
        chart: samples.columns(),
        loadState: 'loading',
        liveUpdates: 0,
        stageError: null,
        syncNow: { running: false, result: null, error: null },
      });
    }
    try {
      const snapshot = await api.call('sync.status', { project });
      if (get().project !== project) return;
      samples.merge(snapshot.samples);
      set({
        status: get().status ?? snapshot.status,
        errors: snapshot.errors,
        chart: samples.columns(),
        loadState: 'ready',
        loadError: null,
      });
    } catch (error) {
      if (get().project === project) set({ loadState: 'error', loadError: (error as Error).message });
    }
  },

  receive(batch) {
    const { project } = get();
    const mine = batch.filter((payload) => payload.project === project);
    const latest = mine.at(-1);
    if (!latest) return;
    let newPoint = false;
    for (const payload of mine) if (payload.sample) newPoint = samples.add(payload.sample) || newPoint;
    // The charts hold one point a second: redraw them when a point is added, not on every status.
    set({
      status: latest.status,
      ...(newPoint ? { chart: samples.columns() } : {}),
      liveUpdates: get().liveUpdates + 1,
      loadState: get().loadState === 'error' ? 'ready' : get().loadState,
    });
  },

  receiveEvent({ project, event }) {
    if (project !== get().project || event.type !== 'error') return;
    const entry = { at: event.at, stage: event.stage, target: event.target, message: event.message };
    set({ errors: [...get().errors, entry].slice(-MAX_ERRORS) });
  },

  async setStage(stage, enabled) {
    const { project } = get();
    if (!project) return;
    set({ stageBusy: { ...get().stageBusy, [stage]: true }, stageError: null });
    try {
      const { fusebox } = await api.call('sync.setStage', { project, stage, enabled });
      const status = get().status;
      if (status && get().project === project) {
        set({ status: { ...status, fusebox: { ...status.fusebox, ...fusebox } } });
      }
    } catch (error) {
      set({ stageError: (error as Error).message });
    } finally {
      set({ stageBusy: { ...get().stageBusy, [stage]: false } });
    }
  },

  async runSyncNow() {
    const { project } = get();
    if (!project) return;
    set({ syncNow: { running: true, result: null, error: null } });
    try {
      const result = await api.call('sync.now', { project });
      set({ syncNow: { running: false, result, error: null } });
    } catch (error) {
      set({ syncNow: { running: false, result: null, error: (error as Error).message } });
    }
  },
}));
