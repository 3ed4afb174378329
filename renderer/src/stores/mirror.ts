import { create } from 'zustand';
import { ApiCallError } from '../../../shared/api/client.js';
import type { ApiOutput } from '../../../shared/api/contract.js';
import { api } from '../api.js';

type QueryResult = ApiOutput<'mirror.query'>;
type TableInfo = ApiOutput<'mirror.tables'>['tables'][number];

export const PAGE_SIZE = 100;

interface Failure {
  /** e.g. `Mirror:write` for a refused statement. */
  readonly name: string;
  readonly message: string;
}

interface MirrorState {
  project: string | null;
  tables: TableInfo[];
  tablesState: 'idle' | 'loading' | 'ready' | 'error';
  tablesError: string | null;
  /** e.g. `Mirror:privileged-role` when the mirror's role is more than a reader. */
  tablesErrorName: string | null;
  table: string | null;
  search: string;
  offset: number;
  page: QueryResult | null;
  pageState: 'idle' | 'loading' | 'ready' | 'error';
  pageError: string | null;
  selectedRow: number | null;
  sql: string;
  queryResult: QueryResult | null;
  queryState: 'idle' | 'running' | 'ready' | 'error';
  queryError: Failure | null;
  open(project: string): Promise<void>;
  openTable(table: string): Promise<void>;
  setSearch(search: string): void;
  turnPage(direction: 1 | -1): Promise<void>;
  selectRow(index: number | null): void;
  setSql(sql: string): void;
  runQuery(): Promise<void>;
  /** Create the read-only role on an external mirror, then reload; resolves with the failure message, if any. */
  createReader(): Promise<string | null>;
}

let latestPage = 0;
let searchTimer: ReturnType<typeof setTimeout> | undefined;
const failure = (error: unknown): Failure =>
  error instanceof ApiCallError
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: (error as Error).message };

export const useMirrorStore = create<MirrorState>((set, get) => {
  const loadPage = async () => {
    const { project, table, search, offset } = get();
    if (!project || !table) return;
    const request = ++latestPage;
    set({ pageState: 'loading', pageError: null });
    try {
      const page = await api.call('mirror.browse', { project, table, search, limit: PAGE_SIZE, offset });
      if (request === latestPage) set({ page, pageState: 'ready', selectedRow: null });
    } catch (error) {
      if (request === latestPage) set({ pageState: 'error', pageError: (error as Error).message });
    }
  };
  return {
    project: null,
    tables: [],
    tablesState: 'idle',
    tablesError: null,
    tablesErrorName: null,
    table: null,
    search: '',
    offset: 0,
    page: null,
    pageState: 'idle',
    pageError: null,
    selectedRow: null,
    sql: 'SELECT id, primary_email, display_name, signed_up_at\nFROM users\nORDER BY signed_up_at DESC\nLIMIT 50',
    queryResult: null,
    queryState: 'idle',
    queryError: null,

    async open(project) {
      if (get().project !== project) {
        set({
          project,
          tables: [],
          table: null,
          page: null,
          pageState: 'idle',
          queryResult: null,
          queryError: null,
        });
      }
      set({ tablesState: get().tables.length ? 'ready' : 'loading' });
      try {
        const { tables } = await api.call('mirror.tables', { project });
        if (get().project !== project) return;
        set({ tables, tablesState: 'ready', tablesError: null, tablesErrorName: null });
        if (get().table) await loadPage();
      } catch (error) {
        if (get().project === project) {
          set({
            tablesState: 'error',
            tablesError: (error as Error).message,
            tablesErrorName: failure(error).name,
          });
        }
      }
    },

    async openTable(table) {
      if (table === get().table && get().pageState !== 'idle') return;
      set({ table, search: '', offset: 0, selectedRow: null });
      await loadPage();
    },

    setSearch(search) {
      set({ search, offset: 0 });
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => void loadPage(), 200);
    },

    async turnPage(direction) {
      set({ offset: Math.max(0, get().offset + direction * PAGE_SIZE) });
      await loadPage();
    },

    selectRow(index) {
      set({ selectedRow: index });
    },

    setSql(sql) {
      set({ sql });
    },

    async runQuery() {
      const { project, sql } = get();
      if (!project || !sql.trim()) return;
      set({ queryState: 'running', queryError: null });
      try {
        const queryResult = await api.call('mirror.query', { project, sql });
        set({ queryResult, queryState: 'ready' });
      } catch (error) {
        set({ queryState: 'error', queryError: failure(error), queryResult: null });
      }
    },

    async createReader() {
      const { project } = get();
      if (!project) return null;
      try {
        await api.call('mirror.createReader', { project });
      } catch (error) {
        return (error as Error).message;
      }
      set({ queryError: null, queryState: 'idle' });
      await get().open(project);
      return null;
    },
  };
});
