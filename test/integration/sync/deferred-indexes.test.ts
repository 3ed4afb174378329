import { beforeAll, describe, expect, it } from 'vitest';
import {
  addEmail,
  engineFor,
  type InternalDb,
  insertUser,
  internalDatabase,
  mirrorDatabase,
  mirrorMatches,
  mirrorRows,
  seedUsers,
} from './helpers.js';

// A first snapshot fills an empty mirror table with its indexes dropped and builds them again in the same
// transaction (deferred-indexes.ts). A developer's mirror must come out of it with exactly the indexes it had, and
// a reader of the mirror or a foreign key into it must never make the first sync fail or hang.
let source: InternalDb;

const USERS = 600;
// Well under the users, so the snapshot reads the whole table at once (users: one hash join) or in slices.
const TUNING = { bulkPageRows: 100, pageRows: 100 };

beforeAll(async () => {
  source = await internalDatabase('sync_defer_src');
  await seedUsers(source, USERS - 2, 'deferred');
  // The users snapshot joins primary emails in one hash join: a user without any email, and one whose other
  // email is not primary, must come out as the per-row lookup has them.
  await insertUser(source, 'no-email');
  const id = await insertUser(source, 'two-emails', 'primary@example.com');
  await addEmail(source, id, 'secondary@example.com', false);
});

type Mirror = Awaited<ReturnType<typeof mirrorDatabase>>;

/** An engine whose mirror tables exist but hold nothing yet, so the test can shape them first. */
async function tablesOnly(mirror: Mirror) {
  return engineFor(source.url, [mirror.url], { stages: { workers: false }, tuning: TUNING });
}

const indexesOf = (mirror: Mirror, table: string) =>
  mirrorRows<{ name: string; definition: string; oid: number; constraint: string | null }>(
    mirror,
    `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition, i.indexrelid::int AS oid,
            c.contype::text AS constraint
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
     WHERE i.indrelid = $1::regclass ORDER BY 1`,
    [table],
  );

describe('first snapshot with the indexes built afterwards', () => {
  it('leaves the primary key and a developer’s own indexes exactly as they were, built anew', async () => {
    const mirror = await mirrorDatabase('sync_defer_plain');
    const engine = await tablesOnly(mirror);
    await mirror.sql.query(
      `CREATE INDEX users_email_lookup ON users (lower(primary_email)) WHERE primary_email IS NOT NULL;
       ALTER TABLE users ADD CONSTRAINT users_display_name_unique UNIQUE (display_name)`,
    );
    const before = await indexesOf(mirror, 'users');
    engine.setStage('workers', true);
    await engine.syncNow();

    const after = await indexesOf(mirror, 'users');
    const shape = (rows: typeof before) =>
      rows.map(({ name, definition, constraint }) => ({ name, definition, constraint }));
    expect(shape(after)).toEqual(shape(before));
    expect(shape(after).map((i) => i.constraint)).toEqual(['u', null, 'p']);
    // Built anew: every index is a new relation (a copy with the indexes in place keeps the old ones).
    for (const index of after) expect(before.find((b) => b.name === index.name)?.oid).not.toBe(index.oid);
    expect(await mirrorRows(mirror, 'SELECT count(*)::int AS n FROM users')).toEqual([{ n: USERS }]);
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
    // The rebuilt primary key is the one merges rely on: a later change reaches the mirror.
    await source.sql.query(
      `UPDATE "ProjectUser" SET "displayName" = 'renamed' WHERE "displayName" = 'deferred-7'`,
    );
    await engine.syncNow();
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
    await source.sql.query(
      `UPDATE "ProjectUser" SET "displayName" = 'deferred-7' WHERE "displayName" = 'renamed'`,
    );
  });

  it('copies with the indexes in place when a reader holds the mirror table, without waiting for it', {
    timeout: 30_000,
  }, async () => {
    const mirror = await mirrorDatabase('sync_defer_reader');
    const engine = await tablesOnly(mirror);
    const before = await indexesOf(mirror, 'users');
    // A dashboard's open transaction that has read the (empty) users table holds it until it ends.
    await mirror.sql.query('BEGIN; SELECT count(*) FROM users');
    try {
      engine.setStage('workers', true);
      const started = performance.now();
      await engine.syncNow();
      expect(performance.now() - started).toBeLessThan(15_000);
      const after = await indexesOf(mirror, 'users');
      expect(after.map((i) => i.oid)).toEqual(before.map((i) => i.oid));
    } finally {
      await mirror.sql.query('COMMIT');
    }
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
  });

  it('copies with the indexes in place when another table’s foreign key depends on the primary key', async () => {
    const mirror = await mirrorDatabase('sync_defer_fk');
    const engine = await tablesOnly(mirror);
    await mirror.sql.query('CREATE TABLE user_notes (user_id uuid REFERENCES users (id), note text)');
    const before = await indexesOf(mirror, 'users');
    engine.setStage('workers', true);
    await engine.syncNow();
    expect((await indexesOf(mirror, 'users')).map((i) => i.oid)).toEqual(before.map((i) => i.oid));
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
    const fk = await mirrorRows(
      mirror,
      `SELECT conname FROM pg_constraint WHERE conrelid = 'user_notes'::regclass AND contype = 'f'`,
    );
    expect(fk).toHaveLength(1);
  });
});
