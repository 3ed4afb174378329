import type { SyncMapping } from '../mapping-types.js';
import {
  NOTIFICATION_PREFERENCES,
  PROJECT_PERMISSIONS,
  TEAM_INVITATIONS,
  TEAM_PERMISSIONS,
} from './access.js';
import { CONTACT_CHANNELS, TEAM_MEMBER_PROFILES, TEAMS, USERS } from './core.js';
import { EMAIL_OUTBOXES } from './email-outboxes.js';
import { CONNECTED_ACCOUNTS, REFRESH_TOKENS } from './sessions.js';

/**
 * Every mirror table, in upstream's mapping order (`DEFAULT_DB_SYNC_MAPPINGS`). This is the one place the
 * engine, the UI and the MCP server learn the mirror's tables.
 */
export const SYNC_MAPPINGS: readonly SyncMapping[] = [
  USERS,
  CONTACT_CHANNELS,
  TEAMS,
  TEAM_MEMBER_PROFILES,
  TEAM_PERMISSIONS,
  TEAM_INVITATIONS,
  EMAIL_OUTBOXES,
  PROJECT_PERMISSIONS,
  NOTIFICATION_PREFERENCES,
  REFRESH_TOKENS,
  CONNECTED_ACCOUNTS,
];

/** Upstream's per-mapping checkpoint table in the target database. */
export const SYNC_METADATA_TABLE = '_stack_sync_metadata';

export function syncMapping(name: string): SyncMapping {
  const mapping = SYNC_MAPPINGS.find((m) => m.name === name);
  if (!mapping) {
    throw new Error(`Unknown sync mapping "${name}". Known: ${SYNC_MAPPINGS.map((m) => m.name).join(', ')}.`);
  }
  return mapping;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * The target DDL exactly as upstream's mapping writes it (table, REVOKE/GRANT, `_stack_sync_metadata`), optionally
 * schema-qualified. Shown in docs and the UI; the engine runs the same statements.
 */
export function mirrorTableDdl(mapping: SyncMapping, schema?: string): string {
  const qualify = (table: string) => (schema ? `${quote(schema)}.${quote(table)}` : quote(table));
  const singleKey = mapping.primaryKey.length === 1 ? mapping.primaryKey[0] : undefined;
  const lines = mapping.columns.map((c) => {
    const parts = [quote(c.name), c.type];
    if (c.name === singleKey) parts.push('PRIMARY KEY');
    if (c.notNull) parts.push('NOT NULL');
    if (c.default !== undefined) parts.push(`DEFAULT ${c.default}`);
    return `  ${parts.join(' ')}`;
  });
  if (!singleKey) lines.push(`  PRIMARY KEY (${mapping.primaryKey.map(quote).join(', ')})`);
  const table = qualify(mapping.targetTable);
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (\n${lines.join(',\n')}\n);`,
    `REVOKE ALL ON ${table} FROM PUBLIC;`,
    `GRANT SELECT ON ${table} TO PUBLIC;`,
    `CREATE TABLE IF NOT EXISTS ${qualify(SYNC_METADATA_TABLE)} (
  "mapping_name" text PRIMARY KEY NOT NULL,
  "last_synced_sequence_id" bigint NOT NULL DEFAULT -1,
  "updated_at" timestamp without time zone NOT NULL DEFAULT now()
);`,
  ].join('\n');
}
