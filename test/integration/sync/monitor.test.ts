import pg from 'pg';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Fusebox } from '../../../main/sync/fusebox.js';
import { inspectSource } from '../../../main/sync/source/inspect.js';
import { scopeStats } from '../../../main/sync/source/stats.js';
import { BACKLOG_YIELD_MS, SNAPSHOT_YIELD_MS, SourceMonitor } from '../../../main/sync/source-monitor.js';
import type { TargetRunner } from '../../../main/sync/target/runner.js';
import { type InternalDb, insertUser, internalDatabase, onCleanup } from './helpers.js';

// The status's whole-table counts wait while a first snapshot is copied (they took CPU the copy needed), but never
// for longer than SNAPSHOT_YIELD_MS; the cheap queue figures keep coming meanwhile.
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

describe('source statistics during a first snapshot', () => {
  it('holds the table counts back while the snapshot is copied, and counts once it is done', async () => {
    const snapshot = { underway: true };
    const stats = await monitor(snapshot);
    await stats.refresh(1000);
    expect(stats.sequencerTables).toBeNull();
    expect(stats.queue).not.toBeNull();

    snapshot.underway = false;
    await stats.refresh(1000);
    expect(stats.sequencerTables?.tables.project_users?.total).toBe(1);
  });

  it(`counts anyway once ${SNAPSHOT_YIELD_MS} ms have passed without a round`, async () => {
    const stats = await monitor({ underway: true });
    await stats.refresh(1000);
    expect(stats.sequencerTables).toBeNull();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + SNAPSHOT_YIELD_MS);
      await stats.refresh(1000);
    } finally {
      vi.useRealTimers();
    }
    expect(stats.sequencerTables?.tables.project_users?.total).toBe(1);
  });
});

// A mass update's pages ran while the totals scanned whole tables beside them: every change made during that
// second waited two to three times longer.
describe('source statistics while a backlog is worked off', () => {
  it('holds the table counts back while a runner works off a backlog, and counts once it is done', async () => {
    const runner = { workingOffBacklog: true };
    const stats = await monitor({ underway: false }, [runner as TargetRunner]);
    await stats.refresh(1000);
    expect(stats.sequencerTables).toBeNull();
    expect(stats.queue).not.toBeNull();

    runner.workingOffBacklog = false;
    await stats.refresh(1000);
    expect(stats.sequencerTables?.tables.project_users?.total).toBe(1);
  });

  it(`counts anyway once ${BACKLOG_YIELD_MS} ms have passed without a round`, async () => {
    const stats = await monitor({ underway: false }, [{ workingOffBacklog: true } as TargetRunner]);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + BACKLOG_YIELD_MS - 1000);
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
