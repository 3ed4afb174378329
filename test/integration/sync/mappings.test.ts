import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SyncEngine } from '../../../main/sync/index.js';
import { adminUrl } from '../../helpers/postgres.js';
import {
  engineFor,
  type InternalDb,
  insertUser,
  internalDatabase,
  mirrorDatabase,
  mirrorMatches,
  mirrorRows,
  onCleanup,
} from './helpers.js';

let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;
let engine: SyncEngine;

const sql = (text: string, values: unknown[] = []) => source.sql.query(text, values);
const tenancy = () => source.project.tenancyId;

async function createTeam(name: string): Promise<string> {
  const { rows } = await sql(
    `INSERT INTO "Team" ("tenancyId", "mirroredProjectId", "mirroredBranchId", "displayName")
     VALUES ($1, $2, 'main', $3) RETURNING "teamId"`,
    [tenancy(), source.project.projectId, name],
  );
  return rows[0].teamId;
}

beforeAll(async () => {
  source = await internalDatabase('sync_maps_src');
  mirror = await mirrorDatabase('sync_maps_dst');
  engine = await engineFor(source.url, [mirror.url]);
});

describe('every mapping', () => {
  it('creates upstream’s tables with upstream’s columns, keys and grants', async () => {
    await engine.syncNow();
    const columns = await mirrorRows<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      mirror,
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name IN ('users', 'team_member_profiles', '_stack_sync_metadata')
       ORDER BY table_name, ordinal_position`,
    );
    const shape = (table: string) =>
      columns
        .filter((c) => c.table_name === table)
        .map((c) => `${c.column_name} ${c.data_type} ${c.is_nullable}`);
    expect(shape('users')).toEqual([
      'id uuid NO',
      'display_name text YES',
      'profile_image_url text YES',
      'primary_email text YES',
      'primary_email_verified boolean NO',
      'signed_up_at timestamp without time zone NO',
      'client_metadata jsonb NO',
      'client_read_only_metadata jsonb NO',
      'server_metadata jsonb NO',
      'is_anonymous boolean NO',
    ]);
    expect(shape('team_member_profiles')).toEqual([
      'team_id uuid NO',
      'user_id uuid NO',
      'display_name text YES',
      'profile_image_url text YES',
      'created_at timestamp without time zone NO',
    ]);
    expect(shape('_stack_sync_metadata')).toEqual([
      'mapping_name text NO',
      'last_synced_sequence_id bigint NO',
      'updated_at timestamp without time zone NO',
    ]);
    const tables = await mirrorRows<{ tablename: string }>(
      mirror,
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    // EmailOutbox is not in the emulator's schema, so email_outboxes is skipped (and reported).
    expect(tables.map((t) => t.tablename)).toEqual([
      '_hexclave_sync_progress',
      '_hexclave_sync_side_writes',
      '_stack_sync_metadata',
      'connected_accounts',
      'contact_channels',
      'notification_preferences',
      'project_permissions',
      'refresh_tokens',
      'team_invitations',
      'team_member_profiles',
      'team_permissions',
      'teams',
      'users',
    ]);
    expect(engine.status().source.skippedMappings).toEqual([
      { mapping: 'email_outboxes', reason: 'source has no EmailOutbox' },
    ]);
  });

  it('lets a fresh LOGIN role read every mirror table but write none (upstream’s GRANT SELECT TO PUBLIC)', async () => {
    const role = `reader_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'reader'`);
    onCleanup(async () => {
      await admin.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`).catch(() => {});
      await admin.end();
    });
    const url = new URL(mirror.url);
    url.username = role;
    url.password = 'reader';
    const reader = new pg.Client({ connectionString: url.toString() });
    await reader.connect();
    onCleanup(() => reader.end());
    await insertUser(source, 'readable');
    await engine.syncNow();
    const { rows } = await reader.query(`SELECT count(*)::int AS n FROM users`);
    expect(rows[0].n).toBeGreaterThan(0);
    for (const table of ['users', 'teams', 'contact_channels', 'team_member_profiles']) {
      await expect(reader.query(`SELECT 1 FROM ${table} LIMIT 1`)).resolves.toBeDefined();
      await expect(reader.query(`DELETE FROM ${table}`)).rejects.toThrow(/permission denied/);
    }
    await expect(reader.query(`UPDATE users SET display_name = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(
      reader.query(`INSERT INTO users (id, signed_up_at) VALUES (gen_random_uuid(), now())`),
    ).rejects.toThrow(/permission denied/);
  });

  it('syncs teams, memberships, team permissions and invitations, renames included', async () => {
    const user = await insertUser(source, 'member', 'member@example.com');
    const team = await createTeam('Invitation Team');
    await sql(
      `INSERT INTO "TeamMember" ("tenancyId", "projectUserId", "teamId", "displayName") VALUES ($1, $2, $3, 'Member name')`,
      [tenancy(), user, team],
    );
    await sql(
      `INSERT INTO "TeamMemberDirectPermission" ("tenancyId", "projectUserId", "teamId", "permissionId")
       VALUES ($1, $2, $3, '$read_members')`,
      [tenancy(), user, team],
    );
    const { rows: invite } = await sql(
      `INSERT INTO "VerificationCode" ("projectId", "branchId", "type", "code", "expiresAt", "method", "data")
       VALUES ($1, 'main', 'TEAM_INVITATION', 'code-' || gen_random_uuid(), '2030-01-01T00:00:00Z',
               jsonb_build_object('email', 'invitee@example.com'), jsonb_build_object('team_id', $2::text))
       RETURNING "id"`,
      [source.project.projectId, team],
    );
    await engine.syncNow();
    expect(await mirrorRows(mirror, `SELECT display_name FROM teams WHERE id = $1`, [team])).toEqual([
      { display_name: 'Invitation Team' },
    ]);
    expect(
      await mirrorRows(
        mirror,
        `SELECT display_name FROM team_member_profiles WHERE team_id = $1 AND user_id = $2`,
        [team, user],
      ),
    ).toEqual([{ display_name: 'Member name' }]);
    expect(
      await mirrorRows(mirror, `SELECT permission_id FROM team_permissions WHERE team_id = $1`, [team]),
    ).toEqual([{ permission_id: '$read_members' }]);
    expect(
      await mirrorRows(
        mirror,
        `SELECT team_display_name, recipient_email, expires_at_millis FROM team_invitations WHERE id = $1`,
        [invite[0].id],
      ),
    ).toEqual([
      {
        team_display_name: 'Invitation Team',
        recipient_email: 'invitee@example.com',
        expires_at_millis: '1893456000000',
      },
    ]);

    // A team rename stamps its invitations again (team_display_name is derived).
    await sql(`UPDATE "Team" SET "displayName" = 'Renamed Team' WHERE "teamId" = $1`, [team]);
    await expect
      .poll(() =>
        mirrorRows(mirror, `SELECT team_display_name FROM team_invitations WHERE id = $1`, [invite[0].id]),
      )
      .toEqual([{ team_display_name: 'Renamed Team' }]);

    // Deleting the team cascades to members, permissions and invitations in the mirror too.
    await sql(`DELETE FROM "Team" WHERE "teamId" = $1`, [team]);
    await engine.syncNow();
    for (const table of ['teams', 'team_member_profiles', 'team_permissions', 'team_invitations']) {
      const key = table === 'teams' ? 'id' : 'team_id';
      expect(await mirrorRows(mirror, `SELECT 1 FROM ${table} WHERE ${key} = $1`, [team]), table).toEqual([]);
    }
  });

  it('re-adds a membership removed and granted again (a superseded tombstone never deletes the live row)', async () => {
    const user = await insertUser(source, 'flapping member');
    const team = await createTeam('Flapping');
    const add = () =>
      sql(`INSERT INTO "TeamMember" ("tenancyId", "projectUserId", "teamId") VALUES ($1, $2, $3)`, [
        tenancy(),
        user,
        team,
      ]);
    const remove = () =>
      sql(`DELETE FROM "TeamMember" WHERE "projectUserId" = $1 AND "teamId" = $2`, [user, team]);
    engine.setStage('workers', false);
    await add();
    await engine.syncNow().catch(() => undefined);
    engine.setStage('workers', true);
    await engine.syncNow();
    engine.setStage('workers', false);
    await remove();
    await add();
    engine.setStage('workers', true);
    await engine.syncNow();
    expect(
      await mirrorRows(mirror, `SELECT 1 AS present FROM team_member_profiles WHERE team_id = $1`, [team]),
    ).toEqual([{ present: 1 }]);
  });

  it('syncs project permissions, notification preferences, sessions and connected accounts, and removes them with the user', async () => {
    const user = await insertUser(source, 'everything', 'everything@example.com');
    await sql(
      `INSERT INTO "ProjectUserDirectPermission" ("tenancyId", "projectUserId", "permissionId") VALUES ($1, $2, 'admin')`,
      [tenancy(), user],
    );
    await sql(
      `INSERT INTO "UserNotificationPreference" ("tenancyId", "projectUserId", "notificationCategoryId", "enabled")
       VALUES ($1, $2, '4f6f8873-3d04-46bd-8bef-18338b1a1b4c', false)`,
      [tenancy(), user],
    );
    await sql(
      `INSERT INTO "ProjectUserRefreshToken" ("tenancyId", "projectUserId", "refreshToken") VALUES ($1, $2, 'rt-' || gen_random_uuid())`,
      [tenancy(), user],
    );
    await sql(
      `INSERT INTO "ProjectUserOAuthAccount" ("tenancyId", "projectUserId", "configOAuthProviderId", "providerAccountId", "email")
       VALUES ($1, $2, 'spotify', 'account-12345', 'everything@example.com')`,
      [tenancy(), user],
    );
    await engine.syncNow();
    expect(
      await mirrorRows(mirror, `SELECT permission_id FROM project_permissions WHERE user_id = $1`, [user]),
    ).toEqual([{ permission_id: 'admin' }]);
    expect(
      await mirrorRows(
        mirror,
        `SELECT notification_category_id, enabled FROM notification_preferences WHERE user_id = $1`,
        [user],
      ),
    ).toEqual([{ notification_category_id: '4f6f8873-3d04-46bd-8bef-18338b1a1b4c', enabled: false }]);
    expect(
      await mirrorRows(mirror, `SELECT is_impersonation FROM refresh_tokens WHERE user_id = $1`, [user]),
    ).toEqual([{ is_impersonation: false }]);
    expect(
      await mirrorRows(
        mirror,
        `SELECT provider, provider_account_id FROM connected_accounts WHERE user_id = $1`,
        [user],
      ),
    ).toEqual([{ provider: 'spotify', provider_account_id: 'account-12345' }]);

    await sql(`DELETE FROM "ProjectUser" WHERE "projectUserId" = $1`, [user]);
    await engine.syncNow();
    for (const table of [
      'users',
      'project_permissions',
      'notification_preferences',
      'refresh_tokens',
      'connected_accounts',
    ]) {
      const key = table === 'users' ? 'id' : 'user_id';
      expect(await mirrorRows(mirror, `SELECT 1 FROM ${table} WHERE ${key} = $1`, [user]), table).toEqual([]);
    }
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
  });
});
