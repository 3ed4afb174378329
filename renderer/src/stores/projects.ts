import { create } from 'zustand';
import type { ApiInput, ApiOutput } from '../../../shared/api/contract.js';
import type {
  ProjectHealth,
  ProjectWithRuntime,
  RuntimeState,
} from '../../../shared/api/workspace-schemas.js';
import { api } from '../api.js';

type SecretStoreInfo = ApiOutput<'projects.list'>['secretStore'];

const ACTIVE_KEY = 'hexclave-companion-project';

interface ProjectsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  projects: ProjectWithRuntime[];
  secretStore: SecretStoreInfo | null;
  /** The project every other screen shows. */
  activeId: string | null;
  /** Per project: the last start/stop/remove that failed, in plain words. */
  actionErrors: Record<string, string>;
  load(): Promise<void>;
  select(id: string): void;
  create(input: ApiInput<'projects.create'>): Promise<string>;
  start(id: string): Promise<void>;
  stop(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  applyRuntime(id: string, runtime: RuntimeState): void;
  applyHealth(id: string, health: ProjectHealth | null): void;
  /** Probe now instead of waiting for the next round. */
  checkHealth(id: string): Promise<void>;
}

function pickActive(projects: ProjectWithRuntime[], wanted: string | null): string | null {
  if (wanted && projects.some((p) => p.id === wanted)) return wanted;
  return projects[0]?.id ?? null;
}

export const useProjectsStore = create<ProjectsState>((set, get) => {
  const act = async (id: string, work: () => Promise<unknown>) => {
    const { [id]: _cleared, ...others } = get().actionErrors;
    set({ actionErrors: others });
    try {
      await work();
    } catch (error) {
      set({ actionErrors: { ...get().actionErrors, [id]: (error as Error).message } });
    }
  };
  return {
    status: 'idle',
    error: null,
    projects: [],
    secretStore: null,
    activeId: localStorage.getItem(ACTIVE_KEY),
    actionErrors: {},
    async load() {
      if (get().status === 'idle') set({ status: 'loading' });
      try {
        const { projects, secretStore } = await api.call('projects.list', {});
        set({
          projects,
          secretStore,
          status: 'ready',
          error: null,
          activeId: pickActive(projects, get().activeId),
        });
      } catch (error) {
        set({ status: 'error', error: (error as Error).message });
      }
    },
    select(id) {
      localStorage.setItem(ACTIVE_KEY, id);
      set({ activeId: id });
    },
    async create(input) {
      const created = await api.call('projects.create', input);
      get().select(created.id);
      await get().load();
      return created.id;
    },
    start: (id) => act(id, () => api.call('projects.start', { project: id })),
    stop: (id) => act(id, () => api.call('projects.stop', { project: id })),
    remove: (id) =>
      act(id, async () => {
        await api.call('projects.remove', { project: id });
        await get().load();
      }),
    applyRuntime(id, runtime) {
      set({ projects: get().projects.map((p) => (p.id === id ? { ...p, runtime } : p)) });
    },
    applyHealth(id, health) {
      set({ projects: get().projects.map((p) => (p.id === id ? { ...p, health } : p)) });
    },
    checkHealth: (id) =>
      act(id, async () => {
        const health = await api.call('projects.checkHealth', { project: id });
        get().applyHealth(id, health);
      }),
  };
});

export function useActiveProject(): ProjectWithRuntime | null {
  return useProjectsStore((s) => s.projects.find((p) => p.id === s.activeId) ?? null);
}
