import { createHash } from 'node:crypto';
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { identifier, POLICIES } from '../../shared/registry/index.js';
import type { LiveFacts, ServerContext } from '../context.js';
import { MAX_ANSWER_CHARS } from '../knowledge/index.js';
import { errorResult, structuredResult } from './tool-result.js';

// Upstream's ask_stack_auth parameters (stack-protocol.md §10). `reason` and `userPrompt` are optional here: an
// offline answer does not depend on them, and a client that omits them should still get one.
const inputSchema = {
  question: z
    .string()
    .max(2000)
    .describe(
      'The question, in plain words. Name identifiers exactly (`x-stack-access-token`, `STACK_SECRET_SERVER_KEY`, `__Host-hexclave-refresh-<id>--default`) to get their registry entry.',
    ),
  reason: z
    .string()
    .max(1000)
    .optional()
    .describe('Why you are calling this tool, in a few words (for debugging; never part of the answer).'),
  userPrompt: z
    .string()
    .max(4000)
    .optional()
    .describe(
      "The user's exact words that led to this call. Leave out secrets; it is not stored or sent anywhere.",
    ),
  conversationId: z
    .string()
    .max(200)
    .optional()
    .describe('The conversationId a previous answer returned, to keep related questions together.'),
};

const outputSchema = {
  answer: z
    .string()
    .describe(
      `Markdown answer (at most ${MAX_ANSWER_CHARS} characters): registry facts for named identifiers, the best knowledge-base passages quoted whole, numbered sources — or "Not covered" and what is.`,
    ),
  covered: z
    .boolean()
    .describe('False when the question is outside what the knowledge base covers; the answer then says so.'),
  questionType: z
    .enum(['identifier', 'concept', 'how-to', 'out-of-domain'])
    .describe(
      'How the question was read: it names identifiers, asks what/why, asks how to, or is out of scope.',
    ),
  truncated: z
    .boolean()
    .describe('True when the answer reached its size cap and left something out (it says what).'),
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
      kind: z.enum(['doc', 'registry', 'identifier', 'mirror-table']),
      source: z
        .string()
        .describe(
          'Where to read more: a page and heading (docs/knowledge/sync.md › The sequencer), or a registry command.',
        ),
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
 * Whether a question asks about this project's mirror as it is now ("is my mirror up to date?", "how far behind is
 * the sync?"), as opposed to how the sync works in general: only then are live checkpoints worth a connection.
 */
export function asksAboutLiveMirror(question: string): boolean {
  const text = question.toLowerCase();
  const subject = /\b(mirror|sync(ed|ing)?|checkpoints?|backlog|lag)\b/.test(text);
  const live =
    /\b(my|our|current(ly)?|now|live|today)\b/.test(text) ||
    /\b(up[- ]to[- ]date|behind|fresh|stale|caught up)\b/.test(text);
  return subject && live;
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
      description: `Ask the Hexclave (formerly Stack Auth) assistant about the Stack Auth → Hexclave rename and this project: which identifier replaced which (headers, cookies, env vars, JWT issuers, SDK exports) and its policy, deploy order, what the published SDK really does versus the plan, the external-DB sync (mirror tables, sequencing, failure modes, operating it), the query-profiling retry, the local emulator, the compatibility checker and setup. Answers offline and deterministically from a bundled knowledge base, the identifier registry and the mirror schemas, quoting passages whole with citations you can open; says "Not covered" instead of guessing when the question is outside them. It does not browse the web or see your code. Reads the live mirror only when the question is about it. ${renamed} and ${old} are the same tool.`,
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ question, conversationId }) => {
      if (question.trim() === '')
        return errorResult(
          'The question is empty: ask something, e.g. "What replaced x-stack-access-token?".',
        );
      const deterministic = await context.knowledge.answer(question);
      // The mirror is only read (a database connection opened) when the question is about its live state.
      const live = structuredLive(await context.liveFacts({ mirror: asksAboutLiveMirror(question) }));
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
          covered: deterministic.covered,
          questionType: deterministic.questionType,
          truncated: deterministic.truncated,
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
