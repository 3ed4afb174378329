import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningEmulator,
  SEED_USER_PASSWORD,
  seedUserEmail,
  startEmulator,
} from '../../../main/emulator/index.js';
import { apiFetch } from '../../helpers/emulator.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

let database: TestDatabase & { drop(): Promise<void> };
let db: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase('emulator_seed');
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await database?.drop();
});

async function withEmulator<T>(
  seedUsers: number,
  work: (emulator: RunningEmulator, log: string[]) => Promise<T>,
): Promise<T> {
  const log: string[] = [];
  const emulator = await startEmulator({
    databaseUrl: database.url,
    seedUsers,
    log: (line) => log.push(line),
  });
  try {
    return await work(emulator, log);
  } finally {
    await emulator.stop();
  }
}

const seedIds = async () =>
  (
    await db.query<{ id: string }>(
      `SELECT "projectUserId" AS id FROM "ProjectUser" WHERE "displayName" LIKE 'Seed User %' ORDER BY "signedUpAt"`,
    )
  ).rows.map((r) => r.id);

describe('--seed-users', () => {
  it('creates N deterministic users with a verified primary e-mail, and is idempotent across restarts', async () => {
    const first = await withEmulator(500, async (_emulator, log) => {
      expect(log.join('\n')).toContain('Seed users: 500 present (500 new)');
      return seedIds();
    });
    expect(first).toHaveLength(500);
    const channels = await db.query(
      `SELECT count(*)::int AS n FROM "ContactChannel" WHERE "isPrimary" = 'TRUE' AND "usedForAuth" = 'TRUE' AND "isVerified" AND "value" LIKE 'seed-user-%'`,
    );
    expect(channels.rows[0].n).toBe(500);
    await withEmulator(500, async (emulator, log) => {
      expect(log.join('\n')).toContain('Seed users: 500 present (0 new)');
      expect(await seedIds()).toEqual(first);
      const signIn = await apiFetch(emulator, '/auth/password/sign-in', {
        method: 'POST',
        body: { email: seedUserEmail(500), password: SEED_USER_PASSWORD },
      });
      expect((await signIn.json()).user_id).toBe(first[499]);
    });
  });
});

describe('change capture of API writes', () => {
  it('stamps users changed through the API and tombstones everything a user delete removes', async () => {
    await withEmulator(0, async (emulator) => {
      const signUp = await (
        await apiFetch(emulator, '/auth/password/sign-up', {
          method: 'POST',
          body: { email: 'capture@example.com', password: 'long enough 1' },
        })
      ).json();
      const key = [emulator.tenancyId, signUp.user_id];
      const stamp = async () =>
        (
          await db.query<{ seq: string; f: boolean }>(
            `SELECT "sequenceId"::text AS seq, "shouldUpdateSequenceId" AS f FROM "ProjectUser" WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
            key,
          )
        ).rows[0]!;
      const before = await stamp();
      await apiFetch(emulator, '/users/me', {
        method: 'PATCH',
        accessToken: signUp.access_token,
        body: { display_name: 'Captured' },
      });
      // Stamped on write: a newer sequence id, nothing left for a sequencer.
      const after = await stamp();
      expect(after.f).toBe(false);
      expect(Number(after.seq)).toBeGreaterThan(Number(before.seq));

      await apiFetch(emulator, `/users/${signUp.user_id}`, { method: 'DELETE', access: 'server' });
      const tombstones = await db.query<{ tableName: string; primaryKey: Record<string, string> }>(
        `SELECT "tableName", "primaryKey" FROM "DeletedRow" WHERE "tenancyId" = $1 AND ("primaryKey" ->> 'projectUserId' = $2 OR "data" ->> 'projectUserId' = $2) ORDER BY "tableName"`,
        key,
      );
      expect(tombstones.rows.map((r) => r.tableName)).toEqual([
        'ContactChannel',
        'ProjectUser',
        'ProjectUserRefreshToken',
      ]);
      expect(tombstones.rows[1]!.primaryKey).toEqual({
        tenancyId: emulator.tenancyId,
        projectUserId: signUp.user_id,
      });
    });
  });
});
