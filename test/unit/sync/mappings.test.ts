import { describe, expect, it } from 'vitest';
import { serverHeaders, usersEndpoint } from '../../../main/sync/api-source/users-api.js';
import { allRequestHeaderNames } from '../../../shared/registry/index.js';
import { mirrorTableDdl, SYNC_MAPPINGS, syncMapping } from '../../../shared/sync/index.js';

describe('mapping definitions', () => {
  it('lists upstream’s mappings in upstream’s order', () => {
    expect(SYNC_MAPPINGS.map((m) => m.name)).toEqual([
      'users',
      'contact_channels',
      'teams',
      'team_member_profiles',
      'team_permissions',
      'team_invitations',
      'email_outboxes',
      'project_permissions',
      'notification_preferences',
      'refresh_tokens',
      'connected_accounts',
    ]);
    expect(syncMapping('email_outboxes').columns).toHaveLength(32);
  });

  it.each(SYNC_MAPPINGS.map((m) => [m.name, m] as const))(
    '%s: every column has a source, keys have tombstones',
    (_, m) => {
      expect(Object.keys(m.source.liveColumns).sort()).toEqual(m.columns.map((c) => c.name).sort());
      expect(Object.keys(m.source.tombstoneKey).sort()).toEqual([...m.primaryKey].sort());
      for (const key of m.primaryKey) expect(m.columns.find((c) => c.name === key)?.notNull).toBe(true);
      expect(m.source.tombstoneSuperseded).toContain('{{tenancy}}');
    },
  );

  it('renders upstream’s DDL: primary key inline for one column, REVOKE/GRANT, the metadata table', () => {
    const ddl = mirrorTableDdl(syncMapping('team_member_profiles'), 'mirror');
    expect(ddl).toContain('CREATE TABLE IF NOT EXISTS "mirror"."team_member_profiles" (');
    expect(ddl).toContain('  PRIMARY KEY ("team_id", "user_id")');
    expect(ddl).toContain('REVOKE ALL ON "mirror"."team_member_profiles" FROM PUBLIC;');
    expect(ddl).toContain('GRANT SELECT ON "mirror"."team_member_profiles" TO PUBLIC;');
    expect(ddl).toContain('"last_synced_sequence_id" bigint NOT NULL DEFAULT -1');
    expect(mirrorTableDdl(syncMapping('users'))).toContain(
      '"id" uuid PRIMARY KEY NOT NULL,\n  "display_name" text,\n  "profile_image_url" text,\n  "primary_email" text,\n' +
        '  "primary_email_verified" boolean NOT NULL DEFAULT false,\n  "signed_up_at" timestamp without time zone NOT NULL,\n' +
        `  "client_metadata" jsonb NOT NULL DEFAULT '{}'::jsonb,`,
    );
  });
});

describe('API source requests', () => {
  it('send the server headers under both the x-stack-* and x-hexclave-* names (from the registry)', () => {
    const headers = serverHeaders('11111111-1111-4111-8111-111111111111', 'ssk_test');
    const known = new Set(allRequestHeaderNames());
    const names = Object.keys(headers).filter((n) => n !== 'accept');
    expect(names).toHaveLength(6);
    for (const name of names) expect(known.has(name)).toBe(true);
    expect(names.filter((n) => n.startsWith('x-stack-'))).toHaveLength(3);
    expect(names.filter((n) => n.startsWith('x-hexclave-'))).toHaveLength(3);
  });

  it('accept the backend URL with or without /api/v1', () => {
    for (const url of [
      'https://api.example.com',
      'https://api.example.com/',
      'https://api.example.com/api/v1/',
    ]) {
      expect(usersEndpoint(url).toString()).toBe('https://api.example.com/api/v1/users');
    }
  });
});
