import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ReadOnlyQueryResult } from '../../main/mirror/index.js';
import { DEFAULT_OUTPUT_LIMITS } from '../../main/mirror/output-limits.js';
import { formatByteCap } from '../../shared/mirror-limits.js';
import type { ServerContext } from '../context.js';
import { guarded, structuredResult } from './tool-result.js';

const DEFAULT_ROWS = 100;

const inputSchema = {
  sql: z
    .string()
    .min(1)
    .describe(
      'Exactly one read-only statement: SELECT, WITH … SELECT, VALUES or TABLE. Unqualified table names resolve in the mirror schema (users, contact_channels, teams, team_member_profiles, …).',
    ),
  maxRows: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(DEFAULT_ROWS)
    .describe('Row cap: at most this many rows come back; `truncated` says whether there were more.'),
};

const outputSchema = {
  columns: z.array(
    z.object({ name: z.string(), type: z.string().describe('Postgres type, e.g. uuid, jsonb.') }),
  ),
  rows: z
    .array(z.array(z.unknown()))
    .describe('Rows as arrays in column order; timestamps as Postgres prints them.'),
  rowCount: z.number().int(),
  truncated: z.boolean().describe('True when rows were left out (see truncatedBy).'),
  truncatedBy: z
    .enum(['row-limit', 'byte-limit'])
    .nullable()
    .describe('Which cap left rows out: maxRows, or the result byte cap; null when every row came back.'),
  truncatedCells: z
    .number()
    .int()
    .describe('Cells cut to the per-cell byte cap; each ends with "… [truncated, N bytes]" (N = full size).'),
  rowLimit: z.number().int(),
  limits: z
    .object({ cellBytes: z.number().int(), resultBytes: z.number().int() })
    .describe('The byte caps: per cell and for all rows together (JSON text).'),
  elapsedMs: z.number(),
};

const PREVIEW_ROWS = 5;
const PREVIEW_CELL_CHARS = 60;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The text block: a short summary and a few clipped rows, for clients that show text only. The rows themselves are
 * in the structured content; repeating them here would double an answer that can be a megabyte.
 */
export function summariseQueryResult(result: ReadOnlyQueryResult): string {
  const columns = result.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const lines = [
    `${result.rowCount} ${result.rowCount === 1 ? 'row' : 'rows'} × ${result.columns.length} columns (${clip(columns, 300)}) in ${result.elapsedMs} ms.`,
  ];
  if (result.truncatedBy === 'row-limit') {
    lines.push(`More rows than maxRows (${result.rowLimit}): add a WHERE or a LIMIT, or raise maxRows.`);
  } else if (result.truncatedBy === 'byte-limit') {
    lines.push(
      `Rows after the first ${result.rowCount} left out: the result reached its ${result.limits.resultBytes}-byte cap. Select fewer or narrower columns.`,
    );
  }
  if (result.truncatedCells > 0) {
    lines.push(
      `${result.truncatedCells} ${result.truncatedCells === 1 ? 'cell' : 'cells'} cut to ${result.limits.cellBytes} bytes ("… [truncated, N bytes]"); select substr(column, …) to read further.`,
    );
  }
  const preview = result.rows
    .slice(0, PREVIEW_ROWS)
    .map((row) =>
      clip(
        row
          .map((cell) => clip(typeof cell === 'string' ? cell : JSON.stringify(cell), PREVIEW_CELL_CHARS))
          .join(' | '),
        400,
      ),
    );
  if (preview.length > 0) {
    lines.push(`First ${preview.length === 1 ? 'row' : `${preview.length} rows`} (clipped):`, ...preview);
  }
  lines.push('Every row is in the structured content.');
  return lines.join('\n');
}

export function registerQueryMirrorTool(server: McpServer, context: ServerContext): RegisteredTool {
  return server.registerTool(
    'query_mirror',
    {
      title: 'Query the user mirror (read-only SQL)',
      description: `Run one read-only SQL query against the local mirror of the project's users (upstream's sync tables: users, contact_channels, teams, team_member_profiles, …; read the hexclave-companion://mirror/tables resource for their columns). Exactly one SELECT/WITH/VALUES/TABLE statement; it runs in a READ ONLY transaction that is always rolled back, with a statement timeout (default 5 s) and a row cap (default 100, max 1000). Writes, DDL, several statements, transaction control and SET are refused with an explanation. Output is capped: each cell at ${formatByteCap(DEFAULT_OUTPUT_LIMITS.cellBytes)} and all rows at ${formatByteCap(DEFAULT_OUTPUT_LIMITS.resultBytes)}, cut values marked "… [truncated, N bytes]"; the text content is a short summary, the rows are in the structured content. It connects only as a read-only role (a superuser or writer URL is refused with the statements that create one). Needs --mirror-database-url.`,
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ sql, maxRows }) =>
      guarded(async () => {
        const mirror = context.requireMirror();
        const { runReadOnlyQuery } = await import('../../main/mirror/query.js');
        const result = await runReadOnlyQuery(mirror, sql, {
          rowLimit: Math.min(maxRows, context.config.maxRows),
        });
        return structuredResult(
          outputSchema,
          {
            ...result,
            columns: [...result.columns],
            rows: result.rows.map((row) => [...row]),
            limits: { ...result.limits },
          },
          summariseQueryResult(result),
        );
      }),
  );
}
