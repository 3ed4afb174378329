import pg from 'pg';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Fusebox } from '../../../main/sync/fusebox.js';
import { inspectSource } from '../../../main/sync/source/inspect.js';
import { SNAPSHOT_YIELD_MS, SourceMonitor } from '../../../main/sync/source-monitor.js';
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

async function monitor(snapshot: { underway: boolean }): Promise<SourceMonitor> {
  const shape = await inspectSource(source.sql);
  return new SourceMonitor({
    pool: () => pool,
    shape: () => shape,
    scopes: () => [],
    runners: () => [],
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
