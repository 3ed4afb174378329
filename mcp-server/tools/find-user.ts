import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { findMirrorUsers } from '../../main/mirror/index.js';
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
  limit: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(10)
    .describe('Most users to return (newest sign-ups first).'),
};

const json = z.unknown().describe('Arbitrary JSON metadata.');

const outputSchema = {
  matchedBy: z.enum(['id', 'email', 'name']),
  truncated: z.boolean().describe('True when more users matched than the limit.'),
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
        "Find users in the local mirror of the project's users (the Postgres tables the sync engine keeps fresh) by id, email (primary or any verified/unverified email channel, case-insensitive) or a display-name/email fragment. Returns each user with contact channels and teams when those tables are mirrored. Reads only the mirror, never the hosted backend, so it is as fresh as the last sync. Needs --mirror-database-url.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ query, by, limit }) =>
      guarded(async () => {
        const found = await findMirrorUsers(context.requireMirror(), query, { mode: by, limit });
        return structuredResult(outputSchema, {
          matchedBy: found.matchedBy,
          truncated: found.truncated,
          users: found.users.map((u) => ({
            ...u,
            contactChannels: [...u.contactChannels],
            teams: [...u.teams],
          })),
        });
      }),
  );
}
