import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MirrorQueryError, type MirrorSettings, profileQuery } from '../../../main/mirror/index.js';
import { connectInMemory, mcpConfig, textOf } from '../../helpers/mcp.js';
import { setupMirrorDatabase, withClient } from '../../helpers/mirror.js';

// profile_query retries transient failures on a fresh connection with backoff, up to 3 tries. Each failure here
// is a real Postgres error: a lock held by another session (55P03), a terminated backend (57P01), and a
// serialization failure (40001) raised by a fixture function while the test holds an advisory lock.

const mirror = setupMirrorDatabase();
const ADVISORY_KEY = 4242;
let settings: MirrorSettings;

beforeAll(async () => {
  settings = { url: mirror().readerUrl, schema: 'public', statementTimeoutMs: 5000, lockTimeoutMs: 150 };
  await withClient(mirror().url, (client) =>
    client.query(`
      CREATE FUNCTION serialization_probe() RETURNS int LANGUAGE plpgsql STABLE AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = ${ADVISORY_KEY} AND granted) THEN
          RAISE EXCEPTION 'could not serialize access due to concurrent update' USING ERRCODE = '40001';
        END IF;
        RETURN 1;
      END $$;`),
  );
});

/** A second session that holds something until released. */
async function holder(sql: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: mirror().url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(sql);
  return {
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

describe('profileQuery retries', () => {
  it('retries after a lock timeout and succeeds once the lock is released', async () => {
    const lock = await holder('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    const profile = await profileQuery(settings, 'SELECT count(*) FROM users', {
      baseBackoffMs: 10,
      onTransientFailure: () => lock.release(),
    });
    expect(profile.attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'transient-failure', sqlState: '55P03', backoffMs: 10 }),
      { attempt: 2, outcome: 'ok' },
    ]);
    expect(profile.nodes[0]?.nodeType).toBe('Aggregate');
  });

  it('retries a serialization failure (40001)', async () => {
    const advisory = await holder(`SELECT pg_advisory_xact_lock(${ADVISORY_KEY})`);
    const profile = await profileQuery(settings, 'SELECT serialization_probe()', {
      baseBackoffMs: 10,
      onTransientFailure: () => advisory.release(),
    });
    expect(profile.attempts.map((a) => [a.outcome, a.sqlState])).toEqual([
      ['transient-failure', '40001'],
      ['ok', undefined],
    ]);
  });

  it('retries on a fresh connection when its connection is terminated mid-attempt', async () => {
    const pids: number[] = [];
    const profile = await profileQuery(settings, 'SELECT 1', {
      baseBackoffMs: 10,
      onAttemptStart: async ({ attempt, backendPid }) => {
        pids.push(backendPid);
        if (attempt === 1) {
          await withClient(mirror().url, (client) =>
            client.query('SELECT pg_terminate_backend($1)', [backendPid]),
          );
        }
      },
    });
    expect(profile.attempts[0]).toMatchObject({ outcome: 'transient-failure' });
    expect(profile.attempts[0]?.error).toMatch(/admin_shutdown|connection/);
    expect(profile.attempts.at(-1)).toEqual({ attempt: 2, outcome: 'ok' });
    expect(new Set(pids).size).toBe(2);
  });

  it('gives up after 3 attempts with backoff and says why', async () => {
    const lock = await holder('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    const failures: number[] = [];
    try {
      const error = await profileQuery(settings, 'SELECT count(*) FROM users', {
        baseBackoffMs: 10,
        onTransientFailure: (a) => {
          failures.push(a.backoffMs!);
        },
      }).catch((e: unknown) => e);
      expect(MirrorQueryError.is(error) && error.kind).toBe('gave-up');
      expect((error as Error).message).toMatch(
        /^Gave up profiling after 3 attempts, each failing with a transient error — attempt 1: lock_not_available \(55P03\).*attempt 3: .*holds a lock on a table this query reads for longer than the 150 ms lock timeout/,
      );
      expect(failures).toEqual([10, 30]);
    } finally {
      await lock.release();
    }
  });

  it('does not retry a real error in the query', async () => {
    const attempts: number[] = [];
    const error = await profileQuery(settings, 'SELECT 1/0', {
      onAttemptStart: ({ attempt }) => {
        attempts.push(attempt);
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/division by zero/);
    expect(attempts).toEqual([1]);
  });
});

describe('profile_query tool when it gives up', () => {
  let lock: { release(): Promise<void> };
  afterAll(async () => {
    await lock?.release();
  });

  it('returns an error that names the lock timeout', async () => {
    lock = await holder('LOCK TABLE contact_channels IN ACCESS EXCLUSIVE MODE');
    const mcp = await connectInMemory(
      mcpConfig({ mirrorDatabaseUrl: mirror().readerUrl, statementTimeoutMs: 200 }),
    );
    try {
      const result = await mcp.call('profile_query', { sql: 'SELECT count(*) FROM contact_channels' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/Gave up profiling after 3 attempts.*lock_not_available \(55P03\)/);
    } finally {
      await mcp.close();
    }
  });
});
