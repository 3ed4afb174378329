import { create } from 'zustand';
import type { ApiInput } from '../../../shared/api/contract.js';
import type { CheckRunSummary } from '../../../shared/api/workspace-schemas.js';
import type { CheckReport } from '../../../shared/checker/report.js';
import { api } from '../api.js';
import { downloadText } from '../lib/download.js';

export type ExportFormat = ApiInput<'check.export'>['format'];

interface CompatState {
  project: string | null;
  runs: CheckRunSummary[];
  historyState: 'idle' | 'loading' | 'ready' | 'error';
  historyError: string | null;
  selectedRun: string | null;
  report: CheckReport | null;
  reportState: 'idle' | 'loading' | 'ready' | 'error';
  reportError: string | null;
  running: boolean;
  runError: string | null;
  exportError: string | null;
  open(project: string): Promise<void>;
  run(): Promise<void>;
  select(run: string): Promise<void>;
  exportRun(format: ExportFormat, includeSecrets: boolean): Promise<void>;
}

export const useCompatStore = create<CompatState>((set, get) => ({
  project: null,
  runs: [],
  historyState: 'idle',
  historyError: null,
  selectedRun: null,
  report: null,
  reportState: 'idle',
  reportError: null,
  running: false,
  runError: null,
  exportError: null,

  async open(project) {
    if (get().project !== project) {
      set({
        project,
        runs: [],
        selectedRun: null,
        report: null,
        reportState: 'idle',
        runError: null,
        exportError: null,
        historyState: 'loading',
      });
    }
    try {
      const { runs } = await api.call('check.history', { project });
      if (get().project !== project) return;
      set({ runs, historyState: 'ready', historyError: null });
      const newest = runs[0];
      if (!get().selectedRun && newest) await get().select(newest.id);
    } catch (error) {
      if (get().project === project) set({ historyState: 'error', historyError: (error as Error).message });
    }
  },

  async run() {
    const { project } = get();
    if (!project || get().running) return;
    set({ running: true, runError: null });
    try {
      const { report, ...summary } = await api.call('check.run', { project });
      if (get().project !== project) return;
      set({
        runs: [summary, ...get().runs.filter((r) => r.id !== summary.id)],
        selectedRun: summary.id,
        report,
        reportState: 'ready',
        historyState: 'ready',
      });
    } catch (error) {
      set({ runError: (error as Error).message });
    } finally {
      set({ running: false });
    }
  },

  async select(run) {
    const { project } = get();
    if (!project) return;
    set({ selectedRun: run, reportState: 'loading', reportError: null, exportError: null });
    try {
      const { report } = await api.call('check.get', { project, run });
      if (get().selectedRun === run) set({ report, reportState: 'ready' });
    } catch (error) {
      if (get().selectedRun === run) set({ reportState: 'error', reportError: (error as Error).message });
    }
  },

  async exportRun(format, includeSecrets) {
    const { project, selectedRun } = get();
    if (!project || !selectedRun) return;
    set({ exportError: null });
    try {
      const file = await api.call('check.export', {
        project,
        run: selectedRun,
        format,
        unsafe: format === 'har' && includeSecrets,
      });
      downloadText(file.fileName, file.mimeType, file.content);
    } catch (error) {
      set({ exportError: (error as Error).message });
    }
  },
}));
