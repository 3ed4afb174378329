import { create } from 'zustand';
import { ApiCallError } from '../../../shared/api/client.js';
import type { ApiOutput } from '../../../shared/api/contract.js';
import { api } from '../api.js';
import { argumentSkeleton, parseArguments } from '../lib/json-skeleton.js';

type McpStatus = ApiOutput<'mcp.status'>;
type McpCallResult = ApiOutput<'mcp.call'>;

interface Failure {
  /** e.g. `Mcp:confirm` when a tool that can write was not confirmed. */
  readonly name: string;
  readonly message: string;
}

interface McpState {
  project: string | null;
  data: McpStatus | null;
  state: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** The tool open in the runner, its arguments as typed, and whether the user confirmed a tool that can write. */
  selected: string | null;
  argsText: string;
  confirmed: boolean;
  callState: 'idle' | 'running' | 'ready' | 'error';
  callResult: McpCallResult | null;
  callError: Failure | null;
  load(project: string): Promise<void>;
  select(tool: string): void;
  setArgs(text: string): void;
  setConfirmed(confirmed: boolean): void;
  call(): Promise<void>;
}

export const useMcpStore = create<McpState>((set, get) => ({
  project: null,
  data: null,
  state: 'idle',
  error: null,
  selected: null,
  argsText: '',
  confirmed: false,
  callState: 'idle',
  callResult: null,
  callError: null,
  async load(project) {
    if (get().project !== project) {
      set({ project, data: null, selected: null, callResult: null, callError: null, callState: 'idle' });
    }
    set({ state: get().data ? 'ready' : 'loading' });
    try {
      const data = await api.call('mcp.status', { project });
      if (get().project === project) set({ data, state: 'ready', error: null });
    } catch (error) {
      if (get().project === project) set({ state: 'error', error: (error as Error).message });
    }
  },
  select(tool) {
    const info = get().data?.toolInfo.find((t) => t.name === tool);
    set({
      selected: tool,
      argsText: JSON.stringify(info ? argumentSkeleton(info.inputSchema) : {}, null, 2),
      confirmed: false,
      callState: 'idle',
      callResult: null,
      callError: null,
    });
  },
  setArgs(text) {
    set({ argsText: text });
  },
  setConfirmed(confirmed) {
    set({ confirmed });
  },
  async call() {
    const { project, selected, argsText, confirmed } = get();
    if (!project || !selected) return;
    const parsed = parseArguments(argsText);
    if ('error' in parsed) {
      set({ callState: 'error', callError: { name: 'Arguments', message: parsed.error }, callResult: null });
      return;
    }
    set({ callState: 'running', callError: null });
    try {
      const result = await api.call('mcp.call', {
        project,
        tool: selected,
        arguments: parsed.value,
        confirmed,
      });
      if (get().project === project && get().selected === selected) {
        set({ callState: 'ready', callResult: result });
        // The call is in the project's call log now: refresh "Recent tool calls".
        void get().load(project);
      }
    } catch (error) {
      if (get().project !== project || get().selected !== selected) return;
      set({
        callState: 'error',
        callResult: null,
        callError:
          error instanceof ApiCallError
            ? { name: error.name, message: error.message }
            : { name: 'Error', message: (error as Error).message },
      });
    }
  },
}));
