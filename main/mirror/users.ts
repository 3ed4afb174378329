import type pg from 'pg';
import { inReadOnlyTransaction, type MirrorSettings, withMirrorSession } from './connection.js';
import { MirrorQueryError, translatePgError } from './errors.js';
import { type JsonValue, toJsonValue } from './query.js';
import { mirrorTable } from './tables.js';

export type UserLookupMode = 'auto' | 'id' | 'email' | 'name';

export interface MirrorContactChannel {
  readonly type: string;
  readonly value: string;
  readonly isPrimary: boolean;
  readonly isVerified: boolean;
  readonly usedForAuth: boolean;
}

export interface MirrorUser {
  readonly id: string;
  readonly displayName: string | null;
  readonly primaryEmail: string | null;
  readonly primaryEmailVerified: boolean;
  readonly signedUpAt: string;
  readonly isAnonymous: boolean;
  readonly profileImageUrl: string | null;
  readonly clientMetadata: JsonValue;
  readonly clientReadOnlyMetadata: JsonValue;
  readonly serverMetadata: JsonValue;
  readonly contactChannels: readonly MirrorContactChannel[];
  readonly teams: readonly { readonly id: string; readonly displayName: string }[];
}

export interface UserLookup {
  readonly matchedBy: Exclude<UserLookupMode, 'auto'>;
  readonly users: readonly MirrorUser[];
  readonly truncated: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function resolveMode(query: string, mode: UserLookupMode): Exclude<UserLookupMode, 'auto'> {
  if (mode !== 'auto') return mode;
  if (UUID.test(query)) return 'id';
  if (query.includes('@')) return 'email';
  return 'name';
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

async function tableExists(client: pg.Client, table: string): Promise<boolean> {
  const result = await client.query<{ found: string | null }>(
    "SELECT to_regclass(quote_ident(current_schema()) || '.' || quote_ident($1))::text AS found",
    [table],
  );
  return result.rows[0]?.found != null;
}

/**
 * Find users in the mirror by id, email (primary or any email contact channel, case-insensitive) or display
 * name / email fragment, newest first, with their contact channels and teams when those tables are mirrored.
 */
export async function findMirrorUsers(
  settings: MirrorSettings,
  query: string,
  options: { mode: UserLookupMode; limit: number; offset?: number },
): Promise<UserLookup> {
  const needle = query.trim();
  if (needle === '')
    throw new MirrorQueryError('invalid-input', 'Pass a user id, an email or a name to look for.');
  const matchedBy = resolveMode(needle, options.mode);
  if (matchedBy === 'id' && !UUID.test(needle)) {
    throw new MirrorQueryError('invalid-input', `"${needle}" is not a user id: user ids are UUIDs.`);
  }
  return withMirrorSession(settings, (session) =>
    inReadOnlyTransaction(session, settings, async () => {
      const { client } = session;
      const q = (name: string) => client.escapeIdentifier(mirrorTable(name).table);
      if (!(await tableExists(client, mirrorTable('users').table))) {
        throw new MirrorQueryError(
          'undefined-object',
          `The mirror has no ${mirrorTable('users').table} table in schema "${settings.schema}": run hexclave-companion sync first, or pass the schema the sync engine writes to (--mirror-schema).`,
        );
      }
      const hasChannels = await tableExists(client, mirrorTable('contact_channels').table);
      const hasTeams =
        (await tableExists(client, mirrorTable('team_member_profiles').table)) &&
        (await tableExists(client, mirrorTable('teams').table));
      const channelEmail = hasChannels
        ? ` OR EXISTS (SELECT 1 FROM ${q('contact_channels')} c WHERE c.user_id = u.id AND c.type = 'EMAIL' AND lower(c.value) = lower($1))`
        : '';
      const where = {
        id: 'u.id = $1::uuid',
        email: `lower(u.primary_email) = lower($1)${channelEmail}`,
        name: `u.display_name ILIKE $1 OR u.primary_email ILIKE $1`,
      }[matchedBy];
      const param = matchedBy === 'name' ? likePattern(needle) : needle;
      try {
        const found = await client.query(
          `SELECT u.* FROM ${q('users')} u WHERE ${where} ORDER BY u.signed_up_at DESC, u.id LIMIT $2 OFFSET $3`,
          [param, options.limit + 1, options.offset ?? 0],
        );
        const rows = found.rows.slice(0, options.limit) as Record<string, unknown>[];
        const ids = rows.map((r) => r.id as string);
        const channels = hasChannels
          ? await client.query(
              `SELECT * FROM ${q('contact_channels')} WHERE user_id = ANY($1::uuid[]) ORDER BY is_primary DESC, created_at, id`,
              [ids],
            )
          : { rows: [] };
        const teams = hasTeams
          ? await client.query(
              `SELECT m.user_id, t.id, t.display_name FROM ${q('team_member_profiles')} m JOIN ${q('teams')} t ON t.id = m.team_id WHERE m.user_id = ANY($1::uuid[]) ORDER BY t.display_name, t.id`,
              [ids],
            )
          : { rows: [] };
        return {
          matchedBy,
          truncated: found.rows.length > options.limit,
          users: rows.map((r) => ({
            id: String(r.id),
            displayName: (r.display_name as string | null) ?? null,
            primaryEmail: (r.primary_email as string | null) ?? null,
            primaryEmailVerified: r.primary_email_verified === true,
            signedUpAt: String(r.signed_up_at),
            isAnonymous: r.is_anonymous === true,
            profileImageUrl: (r.profile_image_url as string | null) ?? null,
            clientMetadata: toJsonValue(r.client_metadata),
            clientReadOnlyMetadata: toJsonValue(r.client_read_only_metadata),
            serverMetadata: toJsonValue(r.server_metadata),
            contactChannels: channels.rows
              .filter((c) => c.user_id === r.id)
              .map((c) => ({
                type: String(c.type),
                value: String(c.value),
                isPrimary: c.is_primary === true,
                isVerified: c.is_verified === true,
                usedForAuth: c.used_for_auth === true,
              })),
            teams: teams.rows
              .filter((t) => t.user_id === r.id)
              .map((t) => ({ id: String(t.id), displayName: String(t.display_name) })),
          })),
        };
      } catch (error) {
        throw translatePgError(error, {
          sql: '',
          prefixLength: 0,
          statementTimeoutMs: settings.statementTimeoutMs,
          lockTimeoutMs: settings.lockTimeoutMs,
        });
      }
    }),
  );
}
