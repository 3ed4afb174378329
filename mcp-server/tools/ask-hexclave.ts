import { createHash } from 'node:crypto';
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { identifier, POLICIES } from '../../shared/registry/index.js';
import type { LiveFacts, ServerContext } from '../context.js';
import { errorResult, structuredResult } from './tool-result.js';

// Upstream's ask_stack_auth parameters (stack-protocol.md §10), with the same constraints.
const inputSchema = {
  question: z
    .string()
    .describe(
      'The question, in plain words. Name identifiers exactly (`x-stack-access-token`, `STACK_SECRET_SERVER_KEY`, `__Host-hexclave-refresh-<id>--default`) to get their registry entry.',
    ),
  reason: z
    .string()
    .min(1)
    .describe('Why you are calling this tool, in a few words (for debugging; never part of the answer).'),
  userPrompt: z
    .string()
    .min(1)
    .describe(
      "The user's exact words that led to this call. Leave out secrets; it is not stored or sent anywhere.",
    ),
  conversationId: z
    .string()
    .optional()
    .describe('The conversationId a previous answer returned, to keep related questions together.'),
};

const outputSchema = {
  answer: z
    .string()
    .describe('Markdown answer: registry facts for named identifiers, best passages, numbered sources.'),
  identifiers: z
    .array(
      z.object({
        id: z.string().describe('Registry entry id, e.g. header.access-token.'),
        asWritten: z.string(),
        family: z.enum(['stack', 'hexclave']),
        params: z.record(z.string(), z.string()),
        old: z.string(),
        new: z.string().nullable(),
        twin: z.string().nullable().describe('The other family’s spelling of exactly what was written.'),
        category: z.string(),
        policy: z.enum(POLICIES),
      }),
    )
    .describe('Every registry identifier named in the question.'),
  citations: z.array(
    z.object({
      ref: z.number().int().positive(),
      kind: z.enum(['doc', 'identifier', 'mirror-table']),
      source: z.string().describe('Doc page and heading path, registry entry, or mirror table.'),
    }),
  ),
  live: z
    .object({
      mirror: z
        .object({
          status: z.enum(['synced', 'never-synced', 'unreachable']),
          checkpoints: z.array(
            z.object({ mapping: z.string(), lastSyncedSequenceId: z.string(), updatedAt: z.string() }),
          ),
          error: z.string().nullable(),
        })
        .nullable(),
      backend: z.object({ backendClass: z.string(), checkedAt: z.string(), apiUrl: z.string() }).nullable(),
    })
    .nullable()
    .describe('Facts read from this machine at call time (null when nothing live is configured).'),
  conversationId: z.string(),
};

type StructuredLive = z.infer<typeof outputSchema.live>;

function structuredLive(facts: LiveFacts | null): StructuredLive {
  if (!facts) return null;
  const mirror = facts.mirror;
  return {
    mirror:
      mirror === null
        ? null
        : mirror.error !== undefined
          ? { status: 'unreachable', checkpoints: [], error: mirror.error }
          : {
              status: mirror.synced ? 'synced' : 'never-synced',
              checkpoints: [...mirror.checkpoints],
              error: null,
            },
    backend: facts.backend,
  };
}

function liveText(live: StructuredLive): string[] {
  if (!live) return [];
  const lines = ['', '---', 'Live facts (read from this machine when asked; not part of the answer above):'];
  if (live.mirror?.status === 'unreachable') lines.push(`- Mirror: unreachable — ${live.mirror.error}`);
  if (live.mirror?.status === 'never-synced')
    lines.push('- Mirror: reachable, but nothing has synced into it yet.');
  for (const c of live.mirror?.checkpoints ?? []) {
    lines.push(
      `- Mirror ${c.mapping}: synced up to sequence id ${c.lastSyncedSequenceId} at ${c.updatedAt} (mirror clock).`,
    );
  }
  if (live.backend) {
    lines.push(
      `- Backend ${live.backend.apiUrl}: class ${live.backend.backendClass} (last check ${live.backend.checkedAt}).`,
    );
  }
  return lines;
}

/**
 * One helper registers both names (hexclave-rename.md §13). Nothing in the handler depends on the name it was
 * registered under, so identical input gives byte-identical output from either tool.
 */
function registerAskTool(
  server: McpServer,
  context: ServerContext,
  name: string,
  title: string,
): RegisteredTool {
  const { old, new: renamed } = identifier('mcp.ask');
  return server.registerTool(
    name,
    {
      title,
      description: `Ask the Hexclave (formerly Stack Auth) assistant about the Stack Auth → Hexclave rename and this project: which identifier replaced which (headers, cookies, env vars, issuers, SDK exports), its policy, what the published SDK really does, how Hexclave Companion works, and the mirror's table schemas. Works offline and deterministically from bundled docs, the identifier registry and the mirror schemas — it does not browse the web or see your code. Cites its sources. Always set \`reason\`. ${renamed} and ${old} are the same tool.`,
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ question, conversationId }) => {
      if (question.trim() === '')
        return errorResult(
          'The question is empty: ask something, e.g. "What replaced x-stack-access-token?".',
        );
      const deterministic = context.knowledge.answer(question);
      const live = structuredLive(await context.liveFacts());
      const id = conversationId ?? `hx-${createHash('sha256').update(question).digest('hex').slice(0, 16)}`;
      const text = [
        deterministic.answer,
        ...liveText(live),
        '',
        `[conversationId: ${id} — pass this value as conversationId in your next question to keep the conversation together]`,
      ].join('\n');
      return structuredResult(
        outputSchema,
        {
          answer: deterministic.answer,
          identifiers: deterministic.identifiers.map((i) => ({ ...i, params: { ...i.params } })),
          citations: [...deterministic.citations],
          live,
          conversationId: id,
        },
        text,
      );
    },
  );
}

export function registerAskHexclaveTool(server: McpServer, context: ServerContext): RegisteredTool {
  return registerAskTool(server, context, identifier('mcp.ask').new!, 'Ask Hexclave');
}

export function registerAskStackAuthTool(server: McpServer, context: ServerContext): RegisteredTool {
  const { old, new: renamed } = identifier('mcp.ask');
  return registerAskTool(server, context, old, `Ask Stack Auth (same as ${renamed})`);
}
