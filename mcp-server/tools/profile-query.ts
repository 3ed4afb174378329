import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { QueryProfile } from '../../main/mirror/index.js';
import { DEFAULT_OUTPUT_LIMITS } from '../../main/mirror/output-limits.js';
import { formatByteCap } from '../../shared/mirror-limits.js';
import type { ServerContext } from '../context.js';
import { guarded, structuredResult } from './tool-result.js';

const CELL = formatByteCap(DEFAULT_OUTPUT_LIMITS.cellBytes);
const RESULT = formatByteCap(DEFAULT_OUTPUT_LIMITS.resultBytes);

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
  nodesOmitted: z.number().int().describe('Plan nodes beyond the first 500, left out of nodes.'),
  truncatedStrings: z
    .number()
    .int()
    .describe(`Strings in the plan cut to ${CELL}, each ending with "… [truncated, N bytes]".`),
  plan: z
    .record(z.string(), z.unknown())
    .describe(
      `The validated EXPLAIN (FORMAT JSON) entry: Plan, Planning Time, Execution Time, … — or, for a plan over half the ${RESULT} result cap, only the times and \`omitted\`.`,
    ),
};

/** The text block: the numbers a person reads first, not a second copy of the plan. */
export function summariseProfile(profile: QueryProfile): string {
  const top = profile.nodes[0];
  const slowest = [...profile.nodes].sort((a, b) => b.actualTotalMs - a.actualTotalMs)[0];
  const lines = [
    `Planning ${profile.planningMs} ms, execution ${profile.executionMs} ms, total cost ${profile.totalCost}; buffers: ${profile.sharedHitBlocks} hit, ${profile.sharedReadBlocks} read.`,
  ];
  if (top) {
    lines.push(
      `Top node: ${top.nodeType}${top.relation ? ` on ${top.relation}` : ''}, ${top.actualRows} rows (planner estimated ${top.planRows}).`,
    );
  }
  if (slowest && slowest !== top) {
    lines.push(
      `Slowest node: ${slowest.nodeType}${slowest.relation ? ` on ${slowest.relation}` : ''}${slowest.index ? ` using ${slowest.index}` : ''}, ${slowest.actualTotalMs} ms.`,
    );
  }
  const retries = profile.attempts.length - 1;
  if (retries > 0)
    lines.push(`Succeeded after ${retries} transient ${retries === 1 ? 'failure' : 'failures'}.`);
  if (profile.nodesOmitted > 0) lines.push(`${profile.nodesOmitted} nodes beyond the first 500 left out.`);
  const omitted = (profile.plan as { omitted?: unknown }).omitted;
  if (typeof omitted === 'string') lines.push(omitted);
  lines.push(`${profile.nodes.length} plan nodes and the plan itself are in the structured content.`);
  return lines.join('\n');
}

export function registerProfileQueryTool(server: McpServer, context: ServerContext): RegisteredTool {
  return server.registerTool(
    'profile_query',
    {
      title: 'Profile a query on the user mirror',
      description: `Run EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) for one read-only query against the local user mirror and summarise the plan: planning and execution time, buffers, and each node with its estimated vs actual rows. Same guards as query_mirror (one SELECT-like statement, READ ONLY transaction, rolled back, statement timeout). Transient failures (serialization failure, deadlock, lock timeout, a dropped connection) are retried with backoff, up to 3 tries; when it gives up it says why. The plan’s JSON shape is validated before it is returned; long strings in it are cut to ${CELL} and a plan over half the ${RESULT} result cap is left out (nodes still summarise it). Runs only as a read-only role, like query_mirror. Needs --mirror-database-url.`,
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ sql }) =>
      guarded(async () => {
        const mirror = context.requireMirror();
        const { profileQuery } = await import('../../main/mirror/profile.js');
        const profile = await profileQuery(mirror, sql);
        return structuredResult(
          outputSchema,
          {
            planningMs: profile.planningMs,
            executionMs: profile.executionMs,
            totalCost: profile.totalCost,
            sharedHitBlocks: profile.sharedHitBlocks,
            sharedReadBlocks: profile.sharedReadBlocks,
            nodes: [...profile.nodes],
            attempts: [...profile.attempts],
            nodesOmitted: profile.nodesOmitted,
            truncatedStrings: profile.truncatedStrings,
            plan: { ...profile.plan },
          },
          summariseProfile(profile),
        );
      }),
  );
}
