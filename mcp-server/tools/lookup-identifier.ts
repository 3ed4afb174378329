import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { capList } from '../../shared/output-caps.js';
import {
  CATEGORIES,
  findIdentifierMentions,
  type IdentifierEntry,
  POLICIES,
  POLICY_LABELS,
  searchIdentifiers,
} from '../../shared/registry/index.js';
import type { ServerContext } from '../context.js';
import { errorResult, structuredResult } from './tool-result.js';

const inputSchema = {
  name: z
    .string()
    .min(1)
    .describe(
      'An identifier in either family, exact or concrete (`x-hexclave-project-id`, `STACK_EMAIL_HOST`, `__Host-hexclave-refresh-<id>--default`), or a fragment to search for (`refresh`).',
    ),
  category: z
    .enum(CATEGORIES)
    .optional()
    .describe('Only entries of this category (cookie, env-var, request-header, …).'),
  policy: z
    .enum(POLICIES)
    .optional()
    .describe('Only entries with this policy (dual-accept, read-new-first, …).'),
  limit: z.number().int().min(1).max(50).default(10).describe('Most entries to return per page.'),
  offset: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('Entries to skip: pass the nextOffset of the previous page to get the next one.'),
};

const entrySchema = z.object({
  id: z.string(),
  category: z.enum(CATEGORIES),
  concept: z.string(),
  old: z.string(),
  new: z.string().nullable(),
  oldAliases: z.array(z.string()),
  policy: z.enum(POLICIES),
  policyMeaning: z.string(),
  sides: z.array(z.string()),
  specRef: z.string(),
  secret: z.boolean(),
  securePrefix: z.string().nullable(),
  shipped: z
    .string()
    .nullable()
    .describe('What the published SDK actually does, where it is not simply the plan.'),
  planDifference: z.string().nullable(),
  notes: z.string().nullable(),
  match: z
    .object({
      family: z.enum(['stack', 'hexclave']),
      matchedForm: z.string(),
      params: z.record(z.string(), z.string()),
    })
    .nullable()
    .describe('How the name matched, when it named this entry exactly or as a concrete instance.'),
});

const outputSchema = {
  query: z.string(),
  exact: z
    .boolean()
    .describe('True when the name is an identifier (or an instance of one), not just a fragment.'),
  total: z.number().int().describe('Entries matching in all, across pages.'),
  offset: z.number().int().describe('Entries skipped before this page.'),
  nextOffset: z
    .number()
    .int()
    .nullable()
    .describe('The offset of the next page, or null when this page is the last.'),
  truncated: z
    .boolean()
    .describe('True when more entries match than this page holds (page on with nextOffset).'),
  matches: z.array(entrySchema),
};

function summary(
  query: string,
  total: number,
  offset: number,
  shown: readonly { old: string; new: string | null; policy: string }[],
  next: number | null,
): string {
  const head = `${total} registry entr${total === 1 ? 'y' : 'ies'} for "${query}"${shown.length < total ? ` (showing ${offset + 1}–${offset + shown.length}${next !== null ? `; next page: offset ${next}` : ''})` : ''}:`;
  return [head, ...shown.map((e) => `- ${e.old} → ${e.new ?? '(no hexclave twin)'} (${e.policy})`)].join(
    '\n',
  );
}

function describeEntry(entry: IdentifierEntry, match: z.infer<typeof entrySchema>['match']) {
  return {
    id: entry.id,
    category: entry.category,
    concept: entry.concept,
    old: entry.old,
    new: entry.new,
    oldAliases: [...(entry.oldAliases ?? [])],
    policy: entry.policy,
    policyMeaning: POLICY_LABELS[entry.policy],
    sides: [...entry.sides],
    specRef: entry.specRef,
    secret: entry.secret === true,
    securePrefix: entry.securePrefix ?? null,
    shipped: entry.shipped ?? null,
    planDifference: entry.planDifference ?? null,
    notes: entry.notes ?? null,
    match,
  };
}

export function registerLookupIdentifierTool(server: McpServer, context: ServerContext): RegisteredTool {
  return server.registerTool(
    'lookup_identifier',
    {
      title: 'Look up a Stack/Hexclave identifier',
      description:
        'Look an identifier of the Stack Auth → Hexclave rename up in the registry: its old and new names, the policy that governs the pair, and where the published SDK differs from the plan. Accepts either family, concrete instances of templated names (cookie names with a project id, STACK_EMAIL_* variables) and placeholders like <id>; a fragment returns the closest entries, a page at a time (limit, offset → nextOffset; at most 48 kB per page). Covers only the rename’s identifiers, not arbitrary code symbols.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ name, category, policy, limit, offset }) => {
      const query = name.trim();
      const filter = (e: IdentifierEntry) =>
        (!category || e.category === category) && (!policy || e.policy === policy);
      const mentions = findIdentifierMentions(`\`${query}\``).filter((m) => filter(m.entry));
      const all =
        mentions.length > 0
          ? mentions.map((m) =>
              describeEntry(m.entry, {
                family: m.family,
                matchedForm: m.matchedForm,
                params: { ...m.params },
              }),
            )
          : searchIdentifiers(query, {
              ...(category ? { category } : {}),
              ...(policy ? { policy } : {}),
            }).map((entry) => describeEntry(entry, null));
      if (all.length === 0) {
        const similar = await context.knowledge.similarIdentifiers(query, 3);
        return errorResult(
          `No registry identifier matches "${query}"${category ? ` in category ${category}` : ''}${policy ? ` with policy ${policy}` : ''}. ${similar.length > 0 ? `Closest entries: ${similar.join(', ')}. ` : ''}Try a shorter fragment, or a category such as cookie or env-var.`,
        );
      }
      if (offset > 0 && offset >= all.length) {
        return errorResult(`offset ${offset} is past the last of the ${all.length} matching entries.`);
      }
      const page = capList(all.slice(offset, offset + limit));
      const end = offset + page.items.length;
      const nextOffset = end < all.length ? end : null;
      return structuredResult(
        outputSchema,
        {
          query,
          exact: mentions.length > 0,
          total: all.length,
          offset,
          nextOffset,
          truncated: nextOffset !== null,
          matches: page.items,
        },
        summary(query, all.length, offset, page.items, nextOffset),
      );
    },
  );
}
