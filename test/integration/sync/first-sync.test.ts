import { beforeAll, describe, expect, it } from 'vitest';
import {
  engineFor,
  type InternalDb,
  internalDatabase,
  mirrorDatabase,
  mirrorMatches,
  mirrorRows,
  seedUsers,
  versionedChurn,
  watchForRegressions,
} from './helpers.js';

// Enabling sync on a project that already has users: none of them has a sequence id yet, every row is flagged.
// The sequencer works that backlog off (sweeping the heap) while the app keeps changing, creating and deleting
// users; single changes overtake the backlog (rows named by notifications). At the end the mirror must equal the
// source exactly, and no mirror row may ever have gone back to an older version on the way.
let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;

beforeAll(async () => {
  source = await internalDatabase('sync_first_src');
  mirror = await mirrorDatabase('sync_first_dst');
  await seedUsers(source, 4000, 'v-0');
});

describe('first sync of an existing project', () => {
  it('mirrors every user exactly while the app updates, creates and deletes users during it', {
    timeout: 120_000,
  }, async () => {
    const unstamped = await source.sql.query(
      `SELECT count(*)::int AS n FROM "ProjectUser" WHERE "sequenceId" IS NULL`,
    );
    expect(unstamped.rows[0].n).toBe(4000);
    // The mirror tables exist once the engine has started; watch them before the first row lands.
    const engine = await engineFor(source.url, [mirror.url], {
      stages: { sequencer: false, workers: false },
      tuning: { sequencerBatchSize: 200, pageRows: 500, bulkPageRows: 500 },
    });
    await watchForRegressions(mirror);
    // The app is already busy when sync is switched on, and stays busy until the first catch-up is done.
    const churn = { done: false, rounds: 0, beforeStamped: 0 };
    const writer = versionedChurn(source, churn);
    await expect.poll(() => churn.rounds, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    engine.setStage('sequencer', true);
    engine.setStage('workers', true);
    await engine.syncNow();
    churn.done = true;
    await writer;
    await engine.syncNow();

    expect(churn.beforeStamped).toBeGreaterThanOrEqual(3);
    // The empty mirror got every user in one snapshot, copied in block-range slices of about 500 rows (PostgreSQL
    // 14+), not just the first 500 stamped rows.
    expect(engine.stageTimings().bulk.rows).toBeGreaterThanOrEqual(4000);
    expect(await mirrorRows(mirror, 'SELECT * FROM regressions')).toEqual([]);
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
    const count = await source.sql.query(`SELECT count(*)::int AS n FROM "ProjectUser"`);
    expect(await mirrorRows(mirror, 'SELECT count(*)::int AS n FROM users')).toEqual([
      { n: count.rows[0].n },
    ]);
    const left = await source.sql.query(
      `SELECT count(*)::int AS n FROM "ProjectUser" WHERE "sequenceId" IS NULL OR "shouldUpdateSequenceId"`,
    );
    expect(left.rows[0].n).toBe(0);
  });
});
