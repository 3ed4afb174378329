import { z } from 'zod';
import { redactSecretsInText } from '../../../shared/redact.js';
import { requestHeaderName } from '../../../shared/registry/index.js';

export interface UsersApiOptions {
  readonly apiUrl: string;
  readonly projectId: string;
  readonly secretServerKey: string;
  readonly pageSize?: number;
  readonly fetch?: typeof fetch;
}

/** The fields of upstream's server user object (stack-protocol.md §4.6) that the `users` mirror table holds. */
const ServerUserSchema = z.object({
  id: z.string().min(1),
  display_name: z.string().nullable(),
  profile_image_url: z.string().nullable(),
  primary_email: z.string().nullable(),
  primary_email_verified: z.boolean(),
  signed_up_at_millis: z.number(),
  client_metadata: z.unknown().nullable(),
  client_read_only_metadata: z.unknown().nullable(),
  server_metadata: z.unknown().nullable(),
  is_anonymous: z.boolean().optional(),
});

const PageSchema = z.object({
  items: z.array(ServerUserSchema),
  pagination: z.object({ next_cursor: z.string().nullable().optional() }).optional(),
});

/** A row shaped like the `users` mirror table (jsonb_populate_recordset reads it by column name). */
export interface MirrorUserRow {
  readonly id: string;
  readonly display_name: string | null;
  readonly profile_image_url: string | null;
  readonly primary_email: string | null;
  readonly primary_email_verified: boolean;
  readonly signed_up_at: string;
  readonly client_metadata: unknown;
  readonly client_read_only_metadata: unknown;
  readonly server_metadata: unknown;
  readonly is_anonymous: boolean;
}

/** `https://api.example.com`, `…/api/v1` or `…/api/v1/` all mean the same backend. */
export function usersEndpoint(apiUrl: string): URL {
  const base = apiUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return new URL(`${base}/api/v1/users`);
}

/**
 * Server-access headers under both names (x-stack-* and x-hexclave-*, from the registry), so an old backend and a
 * renamed one both accept the request.
 */
export function serverHeaders(projectId: string, secretServerKey: string): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const family of ['stack', 'hexclave'] as const) {
    headers[requestHeaderName('header.project-id', family)] = projectId;
    headers[requestHeaderName('header.access-type', family)] = 'server';
    headers[requestHeaderName('header.secret-server-key', family)] = secretServerKey;
  }
  return headers;
}

function toRow(user: z.infer<typeof ServerUserSchema>): MirrorUserRow {
  return {
    id: user.id,
    display_name: user.display_name,
    profile_image_url: user.profile_image_url,
    primary_email: user.primary_email,
    primary_email_verified: user.primary_email_verified,
    signed_up_at: new Date(user.signed_up_at_millis).toISOString(),
    client_metadata: user.client_metadata ?? {},
    client_read_only_metadata: user.client_read_only_metadata ?? {},
    server_metadata: user.server_metadata ?? {},
    is_anonymous: user.is_anonymous ?? false,
  };
}

/** Page through `GET /users` (upstream's cursor envelope), anonymous and restricted users included. */
export async function* listUsers(options: UsersApiOptions): AsyncGenerator<MirrorUserRow[]> {
  const doFetch = options.fetch ?? fetch;
  const headers = serverHeaders(options.projectId, options.secretServerKey);
  let cursor: string | null = null;
  const seen = new Set<string>();
  do {
    const url = usersEndpoint(options.apiUrl);
    url.searchParams.set('limit', String(options.pageSize ?? 200));
    url.searchParams.set('include_anonymous', 'true');
    url.searchParams.set('include_restricted', 'true');
    if (cursor) url.searchParams.set('cursor', cursor);
    const response = await doFetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    if (!response.ok) {
      let code = '';
      try {
        code = String((JSON.parse(text) as { code?: unknown }).code ?? '');
      } catch {
        // not JSON
      }
      throw new Error(
        redactSecretsInText(
          `GET ${url.pathname} answered ${response.status}${code ? ` ${code}` : ''}: ${text.slice(0, 300)}`,
        ),
      );
    }
    const page = PageSchema.safeParse(JSON.parse(text));
    if (!page.success) {
      throw new Error(
        `GET ${url.pathname} returned an unexpected body: ${page.error.issues[0]?.message ?? ''}`,
      );
    }
    yield page.data.items.map(toRow);
    cursor = page.data.pagination?.next_cursor ?? null;
    // A backend that repeats a cursor would page forever.
    if (cursor && seen.has(cursor)) throw new Error(`GET ${url.pathname} repeated cursor ${cursor}.`);
    if (cursor) seen.add(cursor);
  } while (cursor);
}
