import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MirrorQueryError, mirrorTableCounts, runReadOnlyQuery } from '../../../main/mirror/index.js';
import { setupMirrorDatabase } from '../../helpers/mirror.js';

// While the sync engine copies a first snapshot into an empty mirror table it holds that table's exclusive lock
// until the copy commits (main/sync/target/deferred-indexes.ts). The Mirror screen must still list every other
// table's count and say which one is locked, and a query on the locked table must say why it waited.
const mirror = setupMirrorDatabase();

const settings = () => ({
  url: mirror().readerUrl,
  schema: 'public',
  statementTimeoutMs: 5000,
  lockTimeoutMs: 200,
});

async function holdingUsers<T>(fn: () => Promise<T>): Promise<T> {
  const holder = new pg.Client({ connectionString: mirror().url });
  await holder.connect();
  try {
    await holder.query('BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    return await fn();
  } finally {
    await holder.query('ROLLBACK');
    await holder.end();
  }
}

describe('a mirror table locked by a first snapshot', () => {
  it('shows as locked in the table counts, beside the counts of the others', async () => {
    const counts = await holdingUsers(() => mirrorTableCounts(settings()));
    expect(counts.find((t) => t.name === 'users')).toEqual({ name: 'users', rows: null, locked: true });
    const channels = counts.find((t) => t.name === 'contact_channels');
    expect(channels).toMatchObject({ locked: false });
    expect(channels?.rows).toBeGreaterThan(0);
    const after = await mirrorTableCounts(settings());
    expect(after.find((t) => t.name === 'users')).toMatchObject({ locked: false, rows: expect.any(Number) });
  });

  it('answers a query on it with the lock and what holds it that way', async () => {
    const error = await holdingUsers(() =>
      runReadOnlyQuery(settings(), 'SELECT count(*) FROM users', { rowLimit: 10 }).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(MirrorQueryError.is(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'lock', sqlState: '55P03' });
    expect((error as Error).message).toMatch(/200 ms lock timeout.*first snapshot/);
  });
});
