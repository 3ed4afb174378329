import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  engineFor,
  type InternalDb,
  internalDatabase,
  mirrorDatabase,
  mirrorMatches,
  mirrorRows,
  seedUsers,
  watchForRegressions,
} from './helpers.js';

// Older data must never land over newer: not when two engines race on one target, not on a replay.
let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;

beforeAll(async () => {
  source = await internalDatabase('sync_races_src');
  mirror = await mirrorDatabase('sync_races_dst');
  await seedUsers(source, 300, 'v-0');
  await source.sql.query('CREATE SEQUENCE version_counter');
});

async function churn(rounds: number): Promise<void> {
  const clients = await Promise.all(
    [0, 1, 2].map(async () => {
      const client = new pg.Client({ connectionString: source.url });
      await client.connect();
      return client;
    }),
  );
  try {
    // Each writer edits its own third of the users, so the writers never deadlock one another.
    await Promise.all(
      clients.map(async (client, writer) => {
        for (let i = 0; i < rounds; i++) {
          await client.query(
            `UPDATE "ProjectUser" SET "displayName" = 'v-' || nextval('version_counter')
             WHERE "projectUserId" IN (
               SELECT "projectUserId" FROM "ProjectUser" WHERE abs(hashtext("projectUserId"::text)) % 3 = $1
               ORDER BY random() LIMIT 15)`,
            [writer],
          );
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

describe('races', () => {
  it('two engines applying to the same target never write older data over newer', {
    timeout: 60_000,
  }, async () => {
    const first = await engineFor(source.url, [mirror.url]);
    await first.syncNow();
    await watchForRegressions(mirror);
    const second = await engineFor(source.url, [mirror.url]);
    await churn(60);
    await Promise.all([first.syncNow(), second.syncNow()]);
    await first.syncNow();
    expect(await mirrorRows(mirror, 'SELECT * FROM regressions')).toEqual([]);
    const writes = await mirrorRows<{ n: number }>(mirror, 'SELECT n FROM writes');
    expect(writes[0]!.n).toBeGreaterThan(100);
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
    await Promise.all([first.stop(), second.stop()]);
  });

  it('replays from the start without rewriting a single row', async () => {
    await mirror.sql.query(
      `UPDATE _hexclave_sync_progress SET last_synced_sequence_id = -1; ALTER SEQUENCE writes_made RESTART`,
    );
    const replay = await engineFor(source.url, [mirror.url]);
    const result = await replay.syncNow();
    expect(result.mappings.find((m) => m.name === 'users')!.rowsApplied).toBe(0);
    expect(await mirrorRows(mirror, 'SELECT n FROM writes')).toEqual([{ n: 0 }]);
    expect(await mirrorRows(mirror, 'SELECT * FROM regressions')).toEqual([]);
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
    const progress = await mirrorRows<{ c: string }>(
      mirror,
      `SELECT last_synced_sequence_id::text AS c FROM _hexclave_sync_progress WHERE mapping_name = 'users'`,
    );
    expect(Number(progress[0]!.c)).toBeGreaterThan(0);
  });
});
