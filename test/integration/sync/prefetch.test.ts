import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SyncEngine } from '../../../main/sync/index.js';
import {
  type Churn,
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

// A backlog's next page is read from the source while the target merges the current one. Such a page was read
// before its transaction locked the progress row, so while the app keeps changing users (and the changes it names
// overtake the backlog between and inside pages), no prefetched row may land over a newer one.
let source: InternalDb;

/**
 * Target sessions of the engine left inside a transaction. A page staged ahead holds one open in the lane's second
 * session until it is used or dropped; one left open would hold back vacuum on the mirror for as long as it stays.
 */
async function openTransactions(mirrorDb: { sql: pg.Client }): Promise<number> {
  const [row] = await mirrorRows<{ n: number }>(
    mirrorDb,
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE application_name LIKE 'hexclave-companion-sync:target:%' AND state LIKE 'idle in transaction%'
       AND datname = current_database()`,
  );
  return row!.n;
}
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;

/** Size on disk of each engine session's staging table for users (temp tables are not readable from here). */
async function stagingBytes(mirrorDb: { sql: pg.Client }): Promise<number[]> {
  const rows = await mirrorRows<{ bytes: number }>(
    mirrorDb,
    `SELECT pg_relation_size(c.oid)::float8 AS bytes FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
     WHERE c.relname = '_hexclave_stage_users' AND n.nspname LIKE 'pg\\_temp\\_%'`,
  );
  return rows.map((r) => r.bytes);
}

/**
 * A mass update stamped on write (6,000 rows above every checkpoint at once, each user renamed "<prefix>-<n>"),
 * synced while the app keeps changing users and naming them; then synced once more after the churn stops.
 */
async function massUpdateUnderChurn(engine: SyncEngine, prefix: string): Promise<Churn> {
  await source.sql.query('CREATE SEQUENCE IF NOT EXISTS version_counter START 1');
  await source.sql.query(
    `UPDATE "ProjectUser" SET "displayName" = '${prefix}-' || nextval('version_counter')`,
  );
  const churn = { done: false, rounds: 0, beforeStamped: 0 };
  const writer = versionedChurn(source, churn);
  await engine.syncNow();
  churn.done = true;
  await writer;
  await engine.syncNow();
  return churn;
}

beforeAll(async () => {
  source = await internalDatabase('sync_prefetch_src');
  mirror = await mirrorDatabase('sync_prefetch_dst');
  await seedUsers(source, 6000, 'v-0');
});

describe('pipelined pages', () => {
  it('read ahead during a mass update without ever landing an older row over a newer one', {
    timeout: 120_000,
  }, async () => {
    // Pages of 300 rows: a turn (16 pages) runs out mid-backlog and keeps its staged page for the next one.
    const engine = await engineFor(source.url, [mirror.url], { tuning: { pageRows: 300 } });
    await engine.syncNow();
    await watchForRegressions(mirror);
    const churn = await massUpdateUnderChurn(engine, 'v');

    const timings = engine.stageTimings();
    expect(timings.prefetch.calls, 'pages read ahead and used').toBeGreaterThan(0);
    // Named rows the merging page could not hold went beside it (side.ts), the others with it.
    expect(timings.side.rows, 'named rows applied beside a merging page').toBeGreaterThan(0);
    expect(churn.rounds).toBeGreaterThan(0);
    expect(await mirrorRows(mirror, 'SELECT * FROM regressions'), 'older rows landed over newer').toEqual([]);
    expect(await mirrorMatches(source, mirror.url), 'mirror equals source').toBe(true);

    // Once the engine has nothing left to do, no staged page may keep a transaction open.
    await expect
      .poll(() => openTransactions(mirror), {
        timeout: 10_000,
        message: 'target sessions left in a transaction',
      })
      .toBe(0);
  });

  it('gives way when a trigger on the mirror serialises its writes behind the merging page, and no page fails', {
    timeout: 120_000,
  }, async () => {
    // A developer's trigger that counts mirror writes in one row of its own: a row named beside a merging page would
    // wait on the page's lock of that row while the page waits for it.
    const other = await mirrorDatabase('sync_prefetch_trigger');
    const engine = await engineFor(source.url, [other.url], { tuning: { pageRows: 300 } });
    await engine.syncNow();
    await other.sql.query(`
      CREATE TABLE user_writes (n int); INSERT INTO user_writes VALUES (0);
      CREATE FUNCTION count_user_writes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE user_writes SET n = n + 1; RETURN NEW; END $$;
      CREATE TRIGGER count_user_writes BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION count_user_writes();`);
    const errors: string[] = [];
    engine.subscribe((event) => {
      if (event.type === 'error') errors.push(event.message);
    });
    await massUpdateUnderChurn(engine, 'x');

    expect(errors, 'pages that failed').toEqual([]);
    const timings = engine.stageTimings();
    expect(timings.fresh.rows, 'named rows applied ahead of the backlog').toBeGreaterThan(0);
    expect(timings.side.rows, 'named rows written beside a page').toBe(0);
    expect(await mirrorMatches(source, other.url), 'mirror equals source').toBe(true);
  });

  it('uses the page read ahead after a page that merged without named rows', {
    timeout: 120_000,
  }, async () => {
    // A merge with nothing named beside it runs under a savepoint, so the progress row carries a subtransaction's
    // id; the page read ahead meanwhile used to be dropped as outdated and read again under its lock.
    const other = await mirrorDatabase('sync_prefetch_quiet');
    const engine = await engineFor(source.url, [other.url], { tuning: { pageRows: 300 } });
    await engine.syncNow();
    await source.sql.query(`UPDATE "ProjectUser" SET "displayName" = "displayName" || ' (quiet)'`);
    const before = engine.stageTimings();
    await engine.syncNow();
    const after = engine.stageTimings();
    const merges = after.merge.calls - before.merge.calls;
    expect(merges, 'pages merged').toBeGreaterThan(15);
    // The backlog's first page and its last small ones are fetched under their lock; every other was read ahead.
    expect(
      after.fetch.calls - before.fetch.calls,
      `pages fetched under their lock, of ${merges}`,
    ).toBeLessThanOrEqual(4);
    expect(await mirrorMatches(source, other.url), 'mirror equals source').toBe(true);
  });

  it('empties the staging table with every page, and vacuums it once it has grown', {
    timeout: 120_000,
  }, async () => {
    // Staged rows are deleted by the merge rather than truncated at every commit; new pages go to new blocks until
    // a VACUUM, so an engine that runs for days must vacuum its sessions' staging tables or they grow with every page.
    const big = await internalDatabase('sync_prefetch_stage_src');
    await seedUsers(big, 10_000, 'v-0');
    const other = await mirrorDatabase('sync_prefetch_stage');
    const engine = await engineFor(big.url, [other.url]);
    await engine.syncNow();
    for (const round of [1, 2, 3, 4, 5, 6]) {
      await big.sql.query(`UPDATE "ProjectUser" SET "displayName" = "displayName" || ' (round ${round})'`);
      await engine.syncNow();
    }
    expect(await mirrorMatches(big, other.url), 'mirror equals source').toBe(true);
    // Six mass updates stage 60,000 rows (about 9 MB) in the lane's two sessions; each vacuums its table past 2 MB
    // (without that: 5.9 and 7.2 MB).
    const sizes = await stagingBytes(other);
    expect(sizes.length, 'sessions that staged users').toBeGreaterThan(0);
    expect(Math.max(...sizes), `staging tables: ${sizes.join(', ')} bytes`).toBeLessThan(3.5 * 1024 * 1024);
  });

  it('rolls back a page staged ahead when the workers are switched off mid-backlog', {
    timeout: 120_000,
  }, async () => {
    const other = await mirrorDatabase('sync_prefetch_off');
    const engine = await engineFor(source.url, [other.url], { tuning: { pageRows: 100 } });
    await engine.syncNow();
    await source.sql.query('CREATE SEQUENCE IF NOT EXISTS version_counter START 1');
    await source.sql.query(`UPDATE "ProjectUser" SET "displayName" = 'w-' || nextval('version_counter')`);
    // Off while a turn (16 pages of a 60-page backlog) is under way: the turn ends by keeping its staged page, and
    // the idle runner must then roll it back.
    const merges = engine.stageTimings().merge.calls;
    await expect
      .poll(() => engine.stageTimings().merge.calls, { timeout: 10_000, interval: 2 })
      .toBeGreaterThan(merges);
    engine.setStage('workers', false);
    // The turn under way runs to its end. Then, with no page merging any more, no session may hold a transaction.
    let seen = -1;
    const idleAndClosed = async () => {
      const merges = engine.stageTimings().merge.calls;
      const idle = merges === seen;
      seen = merges;
      return idle && (await openTransactions(other)) === 0;
    };
    await expect
      .poll(idleAndClosed, {
        timeout: 10_000,
        interval: 500,
        message: 'target sessions left in a transaction once idle',
      })
      .toBe(true);
    engine.setStage('workers', true);
    await engine.syncNow();
    expect(await mirrorMatches(source, other.url), 'mirror equals source').toBe(true);
  });
});
