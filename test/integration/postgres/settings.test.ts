import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { sharedBuffersMb } from '../../../main/postgres/index.js';
import { adminUrl } from '../../helpers/postgres.js';

// An embedded cluster holds the emulator's tables and a mirror side by side; with PostgreSQL's default 128 MB
// buffer cache a 100,000-user mass update already evicted dirty pages in the middle of the mirror's merges.
describe('embedded cluster buffer cache', () => {
  it('is a sixteenth of the machine’s memory, between 128 MB and 1 GB', () => {
    const gb = 2 ** 30;
    expect(sharedBuffersMb(1 * gb)).toBe(128);
    expect(sharedBuffersMb(8 * gb)).toBe(512);
    expect(sharedBuffersMb(24 * gb)).toBe(1024);
  });

  const external = process.env.DATABASE_URL;
  if (external)
    console.info('Skipping the running-cluster check: DATABASE_URL points at a server we did not create.');
  it.skipIf(Boolean(external))('is what the run’s own embedded cluster runs with', async () => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ mb: number }>(
        `SELECT (setting::bigint * 8192 / 1048576)::int AS mb FROM pg_settings WHERE name = 'shared_buffers'`,
      );
      expect(rows[0]!.mb).toBe(sharedBuffersMb());
    } finally {
      await client.end();
    }
  });
});
