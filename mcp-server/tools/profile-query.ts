import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { profileQuery } from '../../main/mirror/index.js';
import type { ServerContext } from '../context.js';
import { guarded, structuredResult } from './tool-result.js';

const inputSchema = {
  sql: z
    .string()
    .min(1)
    .describe(
      'Exactly one read-only statement to profile (SELECT, WITH … SELECT, VALUES or TABLE), without EXPLAIN.',
    ),
};

const outputSchema = {
  planningMs: z.number(),
  executionMs: z.number(),
  totalCost: z.number().describe("The planner's estimated total cost of the top node."),
  sharedHitBlocks: z.number().int().describe('Buffer hits (8 kB pages found in shared buffers).'),
  sharedReadBlocks: z.number().int().describe('Pages read from disk / the OS cache.'),
  nodes: z
    .array(
      z.object({
        depth: z.number().int(),
        nodeType: z.string(),
        relation: z.string().nullable(),
        index: z.string().nullable(),
        actualTotalMs: z.number(),
        actualRows: z.number(),
        loops: z.number(),
        planRows: z.number().describe('The planner’s row estimate, to compare with actualRows.'),
      }),
    )
    .describe('Plan nodes depth-first, top node first.'),
  attempts: z
    .array(
      z.object({
        attempt: z.number().int(),
        outcome: z.enum(['ok', 'transient-failure']),
        error: z.string().optional(),
        sqlState: z.string().optional(),
        backoffMs: z.number().optional(),
      }),
    )
    .describe('Every try, including transient failures that were retried.'),
  plan: z
    .record(z.string(), z.unknown())
    .describe('The validated EXPLAIN (FORMAT JSON) entry: Plan, Planning Time, Execution Time, …'),
};

export function registerProfileQueryTool(server: McpServer, context: ServerContext): RegisteredTool {
  return server.registerTool(
    'profile_query',
    {
      title: 'Profile a query on the user mirror',
      description:
        'Run EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) for one read-only query against the local user mirror and summarise the plan: planning and execution time, buffers, and each node with its estimated vs actual rows. Same guards as query_mirror (one SELECT-like statement, READ ONLY transaction, rolled back, statement timeout). Transient failures (serialization failure, deadlock, lock timeout, a dropped connection) are retried with backoff, up to 3 tries; when it gives up it says why. The plan’s JSON shape is validated before it is returned. Needs --mirror-database-url.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ sql }) =>
      guarded(async () => {
        const profile = await profileQuery(context.requireMirror(), sql);
        return structuredResult(outputSchema, {
          planningMs: profile.planningMs,
          executionMs: profile.executionMs,
          totalCost: profile.totalCost,
          sharedHitBlocks: profile.sharedHitBlocks,
          sharedReadBlocks: profile.sharedReadBlocks,
          nodes: [...profile.nodes],
          attempts: [...profile.attempts],
          plan: profile.plan,
        });
      }),
  );
}
