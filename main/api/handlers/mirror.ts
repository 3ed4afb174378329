import { MirrorQueryError } from '../../mirror/errors.js';
import type { ApiHandlers } from '../dispatcher.js';
import { ApiError } from '../dispatcher.js';
import type { AppContext } from './context.js';

const CONSOLE_ROW_CAP = 1000;

/** The mirror's database code (pg) loads on the first mirror call, not at startup. */
const mirrorDatabase = () => import('../../mirror/index.js');

/** Mirror errors already say what to do; keep their kind visible as the error name. */
async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (MirrorQueryError.is(error)) throw new ApiError(`Mirror:${error.kind}`, error.message);
    throw error;
  }
}

export function mirrorHandlers({
  workspace,
}: AppContext): Pick<
  ApiHandlers,
  'mirror.tables' | 'mirror.browse' | 'mirror.query' | 'mirror.createReader'
> {
  return {
    'mirror.tables': ({ project }) =>
      translated(async () => {
        const settings = workspace.mirrorSettings(project);
        const { mirrorTableCounts } = await mirrorDatabase();
        return { tables: await mirrorTableCounts(settings) };
      }),
    'mirror.browse': ({ project, table, search, limit, offset, sort }) =>
      translated(async () => {
        const settings = workspace.mirrorSettings(project);
        const { browseMirrorTable } = await mirrorDatabase();
        const page = await browseMirrorTable(settings, table, {
          search,
          limit,
          offset,
          sort: sort ?? null,
        });
        return { ...page, columns: [...page.columns], rows: page.rows.map((row) => [...row]) };
      }),
    'mirror.query': ({ project, sql }) =>
      translated(async () => {
        // The console shares the MCP tool's guards: one statement, READ ONLY transaction, timeout, row cap.
        const settings = workspace.mirrorSettings(project);
        const { runReadOnlyQuery } = await mirrorDatabase();
        const result = await runReadOnlyQuery(settings, sql, {
          rowLimit: CONSOLE_ROW_CAP,
        });
        return {
          columns: result.columns.map((c) => c.name),
          rows: result.rows.map((row) => [...row]),
          rowCount: result.rowCount,
          truncated: result.truncated,
          truncatedBy: result.truncatedBy,
          truncatedCells: result.truncatedCells,
          ms: result.elapsedMs,
        };
      }),
    'mirror.createReader': ({ project }) => translated(() => workspace.createMirrorReader(project)),
  };
}
