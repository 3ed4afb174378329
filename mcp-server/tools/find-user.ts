import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { capList } from '../../shared/output-caps.js';
import type { ServerContext } from '../context.js';
import { guarded, structuredResult } from './tool-result.js';

const inputSchema = {
  query: z
    .string()
    .min(1)
    .describe('A user id (UUID), an email address, or part of a display name or email.'),
  by: z
    .enum(['auto', 'id', 'email', 'name'])
    .default('auto')
    .describe(
      'How to match: auto picks id for a UUID, email for anything with @, else a name/email fragment.',
    ),
  limit: z.number().int().min(1).max(50).default(10).describe('Most users per page (newest sign-ups first).'),
  offset: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(0)
    .describe('Users to skip: pass the nextOffset of the previous page to get the next one.'),
};

const json = z.unknown().describe('Arbitrary JSON metadata.');

const outputSchema = {
  matchedBy: z.enum(['id', 'email', 'name']),
  offset: z.number().int().describe('Users skipped before this page.'),
  nextOffset: z
    .number()
    .int()
    .nullable()
    .describe('The offset of the next page, or null when no more users match.'),
  truncated: z
    .boolean()
    .describe(
      'True when more users matched than this page holds, or a long value was cut (marked "… [truncated, N bytes]").',
    ),
  users: z.array(
    z.object({
      id: z.string(),
      displayName: z.string().nullable(),
      primaryEmail: z.string().nullable(),
      primaryEmailVerified: z.boolean(),
      signedUpAt: z.string().describe('As the mirror stores it: timestamp without time zone.'),
      isAnonymous: z.boolean(),
      profileImageUrl: z.string().nullable(),
      clientMetadata: json,
      clientReadOnlyMetadata: json,
      serverMetadata: json,
      contactChannels: z.array(
        z.object({
          type: z.string(),
          value: z.string(),
          isPrimary: z.boolean(),
          isVerified: z.boolean(),
          usedForAuth: z.boolean(),
        }),
      ),
      teams: z.array(z.object({ id: z.string(), displayName: z.string() })),
    }),
  ),
};

export function registerFindUserTool(server: McpServer, context: ServerContext): RegisteredTool {
  return server.registerTool(
    'find_user',
    {
      title: 'Find a user in the mirror',
      description:
        "Find users in the local mirror of the project's users (the Postgres tables the sync engine keeps fresh) by id, email (primary or any verified/unverified email channel, case-insensitive) or a display-name/email fragment. Returns each user with contact channels and teams when those tables are mirrored, a page at a time (limit ≤ 50, offset → nextOffset; at most 48 kB per page, long metadata values cut and marked). Reads only the mirror, never the hosted backend, so it is as fresh as the last sync. Needs --mirror-database-url.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ query, by, limit, offset }) =>
      guarded(async () => {
        const settings = context.requireMirror();
        const { findMirrorUsers } = await import('../../main/mirror/users.js');
        const found = await findMirrorUsers(settings, query, { mode: by, limit, offset });
        const page = capList(
          found.users.map((u) => ({ ...u, contactChannels: [...u.contactChannels], teams: [...u.teams] })),
        );
        const end = offset + page.items.length;
        const nextOffset = found.truncated || page.omitted > 0 ? end : null;
        const users = page.items;
        return structuredResult(
          outputSchema,
          {
            matchedBy: found.matchedBy,
            offset,
            nextOffset,
            truncated: nextOffset !== null || page.truncatedCells > 0,
            users,
          },
          [
            `${users.length === 0 ? 'No user' : `${users.length} user${users.length === 1 ? '' : 's'}`} matched by ${found.matchedBy}${offset > 0 ? ` (from offset ${offset})` : ''}${nextOffset !== null ? `; more match — next page: offset ${nextOffset}` : ''}.`,
            ...users.map(
              (u) =>
                `- ${u.id} ${u.primaryEmail ?? '(no email)'}${u.displayName ? ` — ${u.displayName}` : ''}`,
            ),
          ].join('\n'),
        );
      }),
  );
}
