import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminUrl } from '../../helpers/postgres.js';
import {
  engineFor,
  type InternalDb,
  insertUser,
  internalDatabase,
  mirrorDatabase,
  mirrorMatches,
  onCleanup,
} from './helpers.js';

// The first snapshot of an empty mirror travels in COPY's binary format between servers that store text alike, and
// as text otherwise (bulk.ts). Either way the mirror must read back exactly what the source holds.
let source: InternalDb;
let userId: string;
const NAME = 'Zoë Müller-Ångström';
const EMAIL = 'zoë@exämple.com';

beforeAll(async () => {
  source = await internalDatabase('sync_format_src');
  userId = await insertUser(source, NAME, EMAIL);
  await source.sql.query(
    `UPDATE "ProjectUser" SET "serverMetadata" = $2, "signedUpAt" = '2026-02-03 04:05:06.789'
     WHERE "projectUserId" = $1`,
    [userId, { note: 'café', n: 1.5, nested: [true, null] }],
  );
  await insertUser(source, null);
});

async function latin1Mirror(): Promise<{ url: string; sql: pg.Client }> {
  const name = `sync_format_latin1_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(
    `CREATE DATABASE ${name} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
  );
  onCleanup(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const sql = new pg.Client({ connectionString: url.toString() });
  await sql.connect();
  onCleanup(() => sql.end());
  return { url: url.toString(), sql };
}

describe('first snapshot of an empty mirror', () => {
  it.each([
    ['in the same encoding (binary COPY)', () => mirrorDatabase('sync_format_utf8')],
    ['in another encoding (LATIN1: text COPY, converted)', latin1Mirror],
  ])('reads back exactly on a server %s', async (_label, open) => {
    const mirror = await open();
    const engine = await engineFor(source.url, [mirror.url]);
    await engine.syncNow();
    expect(engine.stageTimings().bulk.rows).toBeGreaterThanOrEqual(2);
    const { rows } = await mirror.sql.query(
      `SELECT display_name, primary_email, server_metadata, signed_up_at::text AS signed_up_at
       FROM users WHERE id = $1`,
      [userId],
    );
    expect(rows).toEqual([
      {
        display_name: NAME,
        primary_email: EMAIL,
        server_metadata: { note: 'café', n: 1.5, nested: [true, null] },
        signed_up_at: '2026-02-03 04:05:06.789',
      },
    ]);
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
  });
});
