import pg from 'pg';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Fusebox } from '../../../main/sync/fusebox.js';
import { inspectSource } from '../../../main/sync/source/inspect.js';
import { scopeStats } from '../../../main/sync/source/stats.js';
import { BACKLOG_YIELD_MS, SNAPSHOT_YIELD_MS, SourceMonitor } from '../../../main/sync/source-monitor.js';
import type { TargetRunner } from '../../../main/sync/target/runner.js';
import { BACKLOG_COUNT_LIMIT } from '../../../shared/sync/backlog.js';
import { type InternalDb, insertUser, internalDatabase, onCleanup } from './helpers.js';

// The status's whole-table counts wait while a first snapshot is copied or a backlog is worked off (they took CPU
// the sync needed), but never longer than SNAPSHOT_YIELD_MS or BACKLOG_YIELD_MS; the cheap queue figures keep
// coming meanwhile.
let source: InternalDb;
let pool: pg.Pool;

beforeAll(async () => {
  source = await internalDatabase('sync_monitor_src');
  await insertUser(source, 'counted', 'counted@example.com');
  pool = new pg.Pool({ connectionString: source.url, max: 2 });
  onCleanup(() => pool.end());
});

async function monitor(
  snapshot: { underway: boolean },
  runners: readonly TargetRunner[] = [],
): Promise<SourceMonitor> {
  const shape = await inspectSource(source.sql);
  return new SourceMonitor({
    pool: () => pool,
    shape: () => shape,
    scopes: () => [],
    runners: () => runners,
    discoverTenancy: null,
    staleClaimMs: 60_000,
    fusebox: new Fusebox(),
    emit: () => {},
    reclaimed: () => 0,
    awaitsFirstSnapshot: () => snapshot.underway,
  });
}

// A mass update's pages ran while the totals scanned whole tables beside them: every change made during that
// second waited two to three times longer.
describe.each([
  {
    work: 'a first snapshot is copied',
    yieldMs: SNAPSHOT_YIELD_MS,
    start: (busy: { now: boolean }) =>
      monitor({
        get underway() {
          return busy.now;
        },
      }),
  },
  {
    work: 'a runner works off a backlog',
    yieldMs: BACKLOG_YIELD_MS,
    start: (busy: { now: boolean }) =>
      monitor({ underway: false }, [
        {
          get workingOffBacklog() {
            return busy.now;
          },
        } as TargetRunner,
      ]),
  },
])('source statistics while $work', ({ yieldMs, start }) => {
  it('holds the table counts back meanwhile, and counts once it is done', async () => {
    const busy = { now: true };
    const stats = await start(busy);
    await stats.refresh(1000);
    expect(stats.sequencerTables).toBeNull();
    expect(stats.queue).not.toBeNull();

    busy.now = false;
    await stats.refresh(1000);
    expect(stats.sequencerTables?.tables.project_users?.total).toBe(1);
  });

  it(`counts anyway once ${yieldMs} ms have passed without a round`, async () => {
    const stats = await start({ now: true });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + yieldMs - 1000);
      await stats.refresh(1000);
      expect(stats.sequencerTables).toBeNull();
      vi.setSystemTime(Date.now() + 1000);
      await stats.refresh(1000);
      expect(stats.sequencerTables?.tables.project_users?.total).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

// The oldest sequence id is looked up only when nothing waits: right after a mass update that lookup walks every
// dead index entry the update left (seconds of a core at a million users, just as the sync needs it).
describe('the oldest sequence id in the status', () => {
  it('keeps its last value while rows wait above a checkpoint, and looks it up again once none do', async () => {
    const shape = await inspectSource(source.sql);
    const users = shape.mappings.filter((m) => m.name === 'users');
    const { tenancyId } = source.project;
    const oldest = async () => {
      const { rows } = await source.sql.query<{ id: string }>(
        `SELECT min("sequenceId")::text AS id FROM "ProjectUser" WHERE "tenancyId" = $1`,
        [tenancyId],
      );
      return Number(rows[0]!.id);
    };
    await insertUser(source, 'second', 'second@example.com');
    const before = await oldest();
    const first = await scopeStats(pool, users, tenancyId, new Map());
    expect(first.get('users')?.min).toBe(before);

    // Every user changes: new sequence ids above everything a mirror at `head` holds.
    const head = first.get('users')!.max!;
    await source.sql.query(
      `UPDATE "ProjectUser" SET "displayName" = "displayName" || '!' WHERE "tenancyId" = $1`,
      [tenancyId],
    );
    const after = await oldest();
    expect(after).toBeGreaterThan(head);
    const known = (mapping: string) => first.get(mapping)?.min;
    const waiting = await scopeStats(pool, users, tenancyId, new Map([['users', [head]]]), known);
    expect(waiting.get('users')?.backlogRows).toEqual([2]);
    expect(waiting.get('users')?.min).toBe(before);

    const caughtUp = waiting.get('users')!.max!;
    const idle = await scopeStats(pool, users, tenancyId, new Map([['users', [caughtUp]]]), known);
    expect(idle.get('users')?.backlogRows).toEqual([0]);
    expect(idle.get('users')?.min).toBe(after);
  });
});

// Counting a mass update's whole backlog took over a second of a core at a million users, just as the sync needed
// it; past the limit the status says "at least" instead.
describe('the backlog count', () => {
  it(`stops at ${BACKLOG_COUNT_LIMIT} rows and says "at least", and is exact below that`, async () => {
    const db = await internalDatabase('sync_monitor_limit');
    const dbPool = new pg.Pool({ connectionString: db.url, max: 1 });
    onCleanup(() => dbPool.end());
    const { tenancyId, projectId } = db.project;
    await db.sql.query(
      `INSERT INTO "ProjectUser" ("tenancyId", "mirroredProjectId", "mirroredBranchId", "displayName")
       SELECT $1, $2, 'main', 'bulk-' || g FROM generate_series(1, $3::int) AS g`,
      [tenancyId, projectId, BACKLOG_COUNT_LIMIT + 5],
    );
    const { rows } = await db.sql.query<{ id: string }>(
      `SELECT "sequenceId"::text AS id FROM "ProjectUser" WHERE "tenancyId" = $1 ORDER BY "sequenceId" DESC OFFSET 3 LIMIT 1`,
      [tenancyId],
    );
    const threeBelowHead = Number(rows[0]!.id);
    const users = (await inspectSource(db.sql)).mappings.filter((m) => m.name === 'users');

    // Two targets: one that has nothing yet, one three rows behind.
    const stats = await scopeStats(dbPool, users, tenancyId, new Map([['users', [-1, threeBelowHead]]]));
    expect(stats.get('users')).toMatchObject({
      backlogRows: [BACKLOG_COUNT_LIMIT, 3],
      backlogRowsAtLeast: [true, false],
    });
  });
});
