import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatabaseAheadError,
  type EmulatorProject,
  ensureProject,
  migrateInternalDatabase,
  removeChangeCapture,
} from '../../../main/emulator/index.js';
import {
  DEFER_STAMPS_SETTING,
  GLOBAL_SEQUENCE_INCREMENT,
  INTERNAL_CHANGE_CHANNEL,
} from '../../../shared/internal-db.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

let db: TestDatabase & { drop(): Promise<void> };
const database = () => db;
let client: pg.Client;
let project: EmulatorProject;

beforeAll(async () => {
  db = await createTestDatabase('emulator_db');
  await migrateInternalDatabase(database().url);
  project = await ensureProject(database().url);
  client = new pg.Client({ connectionString: database().url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

async function insertUser(displayName: string, email?: string): Promise<string> {
  const { rows } = await client.query<{ projectUserId: string }>(
    `INSERT INTO "ProjectUser" ("tenancyId", "mirroredProjectId", "mirroredBranchId", "displayName")
     VALUES ($1, $2, 'main', $3) RETURNING "projectUserId"`,
    [project.tenancyId, project.projectId, displayName],
  );
  const userId = rows[0]!.projectUserId;
  if (email) {
    await client.query(
      `INSERT INTO "ContactChannel" ("tenancyId", "projectUserId", "type", "isPrimary", "usedForAuth", "isVerified", "value")
       VALUES ($1, $2, 'EMAIL', 'TRUE', 'TRUE', false, $3)`,
      [project.tenancyId, userId, email],
    );
  }
  return userId;
}

/** What upstream's sequencer does to a row: stamp it and clear the flag. */
async function sequenceUser(userId: string): Promise<void> {
  await client.query(
    `UPDATE "ProjectUser" SET "sequenceId" = nextval('global_seq_id'), "shouldUpdateSequenceId" = FALSE
     WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
    [project.tenancyId, userId],
  );
}

/** The user's sequence id and flag. */
async function userStamp(userId: string): Promise<{ sequenceId: number | null; flag: boolean }> {
  const { rows } = await client.query<{ seq: string | null; flag: boolean }>(
    `SELECT "sequenceId"::text AS seq, "shouldUpdateSequenceId" AS flag FROM "ProjectUser" WHERE "projectUserId" = $1`,
    [userId],
  );
  return { sequenceId: rows[0]!.seq === null ? null : Number(rows[0]!.seq), flag: rows[0]!.flag };
}

describe('migrations', () => {
  it('apply to an empty database once and are a no-op afterwards', async () => {
    const fresh = await createTestDatabase('emulator_fresh');
    try {
      const first = await migrateInternalDatabase(fresh.url);
      expect(first.applied.length).toBeGreaterThanOrEqual(2);
      const second = await migrateInternalDatabase(fresh.url);
      expect(second).toEqual({ applied: [], version: first.version });
    } finally {
      await fresh.drop();
    }
  });

  it('serialise concurrent runs on one database', async () => {
    const fresh = await createTestDatabase('emulator_race');
    try {
      const reports = await Promise.all([
        migrateInternalDatabase(fresh.url),
        migrateInternalDatabase(fresh.url),
      ]);
      expect(reports.map((r) => r.applied.length).sort()).toEqual([0, reports[0]!.version]);
    } finally {
      await fresh.drop();
    }
  });

  it('refuse a database that is ahead of the code, naming the versions', async () => {
    const fresh = await createTestDatabase('emulator_ahead');
    try {
      const { version } = await migrateInternalDatabase(fresh.url);
      const other = new pg.Client({ connectionString: fresh.url });
      await other.connect();
      await other.query(
        `INSERT INTO "_hexclave_migrations" ("version", "name", "checksum") VALUES ($1, 'from_the_future', 'x')`,
        [version + 1],
      );
      await other.end();
      const attempt = migrateInternalDatabase(fresh.url);
      await expect(attempt).rejects.toBeInstanceOf(DatabaseAheadError);
      await expect(attempt).rejects.toThrow(`schema version ${version + 1} (from_the_future)`);
    } finally {
      await fresh.drop();
    }
  });

  it("create upstream's sequence, sequenced columns and the partial dedup index", async () => {
    const sequence = await client.query(
      `SELECT start_value, increment_by FROM pg_sequences WHERE sequencename = 'global_seq_id'`,
    );
    expect(sequence.rows[0]).toEqual({ start_value: '1', increment_by: String(GLOBAL_SEQUENCE_INCREMENT) });
    const flagged = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
       WHERE column_name = 'shouldUpdateSequenceId' AND column_default = 'true' AND is_nullable = 'NO'
       ORDER BY table_name`,
    );
    expect(flagged.rows.map((r) => r.table_name)).toEqual([
      'ContactChannel',
      'DeletedRow',
      'ProjectUser',
      'ProjectUserDirectPermission',
      'ProjectUserOAuthAccount',
      'ProjectUserRefreshToken',
      'Team',
      'TeamMember',
      'TeamMemberDirectPermission',
      'UserNotificationPreference',
      'VerificationCode',
    ]);
    const index = await client.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'OutgoingRequest_deduplicationKey_pending_key'`,
    );
    expect(index.rows[0]!.indexdef).toMatch(/UNIQUE INDEX .* WHERE \("startedFulfillingAt" IS NULL\)/);
  });
});

describe('ensureProject', () => {
  it('returns the same UUID project, tenancy and keys on every call', async () => {
    expect(project.projectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(project.keys.publishableClientKey).toMatch(/^pck_[0-9a-hjkmnp-tv-z]{45}$/);
    expect(project.keys.secretServerKey).toMatch(/^ssk_[0-9a-hjkmnp-tv-z]{45}$/);
    expect(project.keys.superSecretAdminKey).toMatch(/^sak_[0-9a-hjkmnp-tv-z]{45}$/);
    expect(await ensureProject(database().url)).toEqual(project);
  });

  it('rejects a project id the SDKs would reject', async () => {
    await expect(ensureProject(database().url, { projectId: 'my-project' })).rejects.toThrow(
      'must be a UUID',
    );
  });
});

describe('change capture', () => {
  it('stamps plain-SQL writes on write, flags them when the session defers, and leaves a stamp alone', async () => {
    const userId = await insertUser('Alice');
    const inserted = await userStamp(userId);
    expect(inserted).toEqual({ sequenceId: expect.any(Number), flag: false });
    await client.query(`UPDATE "ProjectUser" SET "displayName" = 'Alicia' WHERE "projectUserId" = $1`, [
      userId,
    ]);
    const updated = await userStamp(userId);
    expect(updated.flag).toBe(false);
    expect(updated.sequenceId).toBeGreaterThan(inserted.sequenceId!);
    // As upstream's backend writes: the row is flagged for a sequencer and keeps its id.
    await client.query(
      `BEGIN; SET LOCAL ${DEFER_STAMPS_SETTING} = on;
       UPDATE "ProjectUser" SET "displayName" = 'Ali' WHERE "projectUserId" = ${client.escapeLiteral(userId)}; COMMIT`,
    );
    expect(await userStamp(userId)).toEqual({ sequenceId: updated.sequenceId, flag: true });
    await sequenceUser(userId);
    const stamped = await userStamp(userId);
    expect(stamped.flag).toBe(false);
    expect(stamped.sequenceId).toBe(updated.sequenceId! + GLOBAL_SEQUENCE_INCREMENT);
  });

  it('stamps the owning user when a contact channel changes', async () => {
    const userId = await insertUser('Bob', 'bob@example.com');
    const before = await userStamp(userId);
    await client.query(`UPDATE "ContactChannel" SET "isVerified" = true WHERE "projectUserId" = $1`, [
      userId,
    ]);
    const afterUpdate = await userStamp(userId);
    expect(afterUpdate.sequenceId).toBeGreaterThan(before.sequenceId!);
    await client.query(`DELETE FROM "ContactChannel" WHERE "projectUserId" = $1`, [userId]);
    expect((await userStamp(userId)).sequenceId).toBeGreaterThan(afterUpdate.sequenceId!);
  });

  it('tombstones a plain-SQL DELETE of a user and every row the FK cascade removes', async () => {
    const userId = await insertUser('Carol', 'carol@example.com');
    await client.query(
      `INSERT INTO "ProjectUserRefreshToken" ("tenancyId", "projectUserId", "refreshToken") VALUES ($1, $2, 'rt-carol')`,
      [project.tenancyId, userId],
    );
    const channel = await client.query<{ id: string }>(
      `SELECT "id" FROM "ContactChannel" WHERE "projectUserId" = $1`,
      [userId],
    );
    await client.query(`DELETE FROM "ProjectUser" WHERE "projectUserId" = $1`, [userId]);
    const { rows } = await client.query<{
      tableName: string;
      primaryKey: unknown;
      data: Record<string, unknown>;
    }>(
      `SELECT "tableName", "primaryKey", "data" FROM "DeletedRow"
       WHERE "tenancyId" = $1 AND ("primaryKey" ->> 'projectUserId' = $2 OR "data" ->> 'projectUserId' = $2)
       ORDER BY "tableName"`,
      [project.tenancyId, userId],
    );
    expect(rows.map((r) => [r.tableName, r.primaryKey])).toEqual([
      ['ContactChannel', { tenancyId: project.tenancyId, projectUserId: userId, id: channel.rows[0]!.id }],
      ['ProjectUser', { tenancyId: project.tenancyId, projectUserId: userId }],
      ['ProjectUserRefreshToken', { tenancyId: project.tenancyId, id: expect.any(String) }],
    ]);
    expect(rows[1]!.data.displayName).toBe('Carol');
    expect(rows[0]!.data.value).toBe('carol@example.com');
  });

  it("tombstones a deleted team's members and invitations", async () => {
    const userId = await insertUser('Dan');
    const team = await client.query<{ teamId: string }>(
      `INSERT INTO "Team" ("tenancyId", "mirroredProjectId", "mirroredBranchId", "displayName")
       VALUES ($1, $2, 'main', 'Team D') RETURNING "teamId"`,
      [project.tenancyId, project.projectId],
    );
    const teamId = team.rows[0]!.teamId;
    await client.query(
      `INSERT INTO "TeamMember" ("tenancyId", "projectUserId", "teamId") VALUES ($1, $2, $3)`,
      [project.tenancyId, userId, teamId],
    );
    const invitation = await client.query<{ id: string }>(
      `INSERT INTO "VerificationCode" ("projectId", "branchId", "type", "code", "expiresAt", "method", "data")
       VALUES ($1, 'main', 'TEAM_INVITATION', 'code-d', now() + interval '1 day', '{"email":"x@example.com"}', $2)
       RETURNING "id"`,
      [project.projectId, { team_id: teamId }],
    );
    await client.query(`DELETE FROM "Team" WHERE "teamId" = $1`, [teamId]);
    const { rows } = await client.query<{ tableName: string; primaryKey: unknown }>(
      `SELECT "tableName", "primaryKey" FROM "DeletedRow"
       WHERE "primaryKey" ->> 'teamId' = $1 OR "primaryKey" ->> 'id' = $2 ORDER BY "tableName"`,
      [teamId, invitation.rows[0]!.id],
    );
    expect(rows).toEqual([
      { tableName: 'Team', primaryKey: { tenancyId: project.tenancyId, teamId } },
      {
        tableName: 'TeamMember',
        primaryKey: { tenancyId: project.tenancyId, projectUserId: userId, teamId },
      },
      { tableName: 'VerificationCode_TEAM_INVITATION', primaryKey: { id: invitation.rows[0]!.id } },
    ]);
  });

  it('notifies once per statement with the tenancy and the ids it stamped, even for a bulk insert', async () => {
    const listener = new pg.Client({ connectionString: database().url });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (message) => {
      if (message.channel === INTERNAL_CHANGE_CHANNEL) payloads.push(message.payload ?? '');
    });
    await listener.query(`LISTEN ${listener.escapeIdentifier(INTERNAL_CHANGE_CHANNEL)}`);
    try {
      await client.query(
        `INSERT INTO "ProjectUser" ("tenancyId", "mirroredProjectId", "mirroredBranchId", "displayName")
         SELECT $1, $2, 'main', 'bulk ' || n FROM generate_series(1, 1000) AS n`,
        [project.tenancyId, project.projectId],
      );
      await expect.poll(() => payloads.length).toBe(1);
      const notice = JSON.parse(payloads[0]!) as { t: string; r: string; s: [number, number]; k?: unknown };
      expect(notice).toEqual({
        t: project.tenancyId,
        r: 'ProjectUser',
        s: [expect.any(Number), expect.any(Number)],
      });
      // The statement's 1,000 rows were stamped on write: their ids span 999 steps of the sequence.
      expect(notice.s[1] - notice.s[0]).toBe(999 * GLOBAL_SEQUENCE_INCREMENT);
    } finally {
      await listener.end();
    }
  });

  it('can be removed to behave like a self-hosted upstream database', async () => {
    const fresh = await createTestDatabase('emulator_upstream');
    try {
      await migrateInternalDatabase(fresh.url);
      expect(await removeChangeCapture(fresh.url)).toBeGreaterThan(10);
      const upstreamLike = await ensureProject(fresh.url);
      const other = new pg.Client({ connectionString: fresh.url });
      await other.connect();
      await other.query(
        `INSERT INTO "ProjectUser" ("tenancyId", "mirroredProjectId", "mirroredBranchId") VALUES ($1, $2, 'main')`,
        [upstreamLike.tenancyId, upstreamLike.projectId],
      );
      await other.query(`DELETE FROM "ProjectUser"`);
      const tombstones = await other.query(`SELECT 1 FROM "DeletedRow"`);
      await other.end();
      expect(tombstones.rowCount).toBe(0);
    } finally {
      await fresh.drop();
    }
  });
});
