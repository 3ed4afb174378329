import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { runReadOnlyQuery } from '../../main/mirror/index.js';
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
  truncated: z.boolean(),
  rowLimit: z.number().int(),
  elapsedMs: z.number(),
};

export function registerQueryMirrorTool(server: McpServer, context: ServerContext): RegisteredTool {
  return server.registerTool(
    'query_mirror',
    {
      title: 'Query the user mirror (read-only SQL)',
      description:
        "Run one read-only SQL query against the local mirror of the project's users (upstream's sync tables: users, contact_channels, teams, team_member_profiles, …; read the hexclave-companion://mirror/tables resource for their columns). Exactly one SELECT/WITH/VALUES/TABLE statement; it runs in a READ ONLY transaction that is always rolled back, with a statement timeout (default 5 s) and a row cap (default 100, max 1000). Writes, DDL, several statements, transaction control and SET are refused with an explanation. Needs --mirror-database-url.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ sql, maxRows }) =>
      guarded(async () => {
        const result = await runReadOnlyQuery(context.requireMirror(), sql, {
          rowLimit: Math.min(maxRows, context.config.maxRows),
        });
        return structuredResult(outputSchema, {
          ...result,
          columns: [...result.columns],
          rows: result.rows.map((row) => [...row]),
        });
      }),
  );
}
