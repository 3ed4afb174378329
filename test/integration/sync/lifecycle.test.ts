import { beforeAll, describe, expect, it } from 'vitest';
import type { SyncEngine } from '../../../main/sync/index.js';
import {
  addEmail,
  engineFor,
  type InternalDb,
  insertUser,
  internalDatabase,
  mirrorDatabase,
  mirrorMatches,
  mirrorRows,
} from './helpers.js';

// Upstream's Postgres-target cases (stack-sync.md §6) against the emulator's internal database.
let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;
let engine: SyncEngine;

// Changes reach the mirror within tens of milliseconds when idle; the deadline is for a loaded 2-core CI, where the
// 1 s default was missed once while the engine's first pages of every mapping were still under way.
const EVENTUALLY = { timeout: 10_000 };

const userRow = async (id: string) =>
  (await mirrorRows(mirror, `SELECT * FROM users WHERE id = $1`, [id]))[0] as
    | Record<string, unknown>
    | undefined;

beforeAll(async () => {
  source = await internalDatabase('sync_life_src');
  mirror = await mirrorDatabase('sync_life_dst');
  engine = await engineFor(source.url, [mirror.url]);
});

describe('CRUD lifecycle', () => {
  it('creates, updates and deletes a user in the mirror', async () => {
    const id = await insertUser(source, 'Before Update', 'crud@example.com');
    await expect
      .poll(() => userRow(id), EVENTUALLY)
      .toMatchObject({
        display_name: 'Before Update',
        primary_email: 'crud@example.com',
        primary_email_verified: false,
        is_anonymous: false,
        client_metadata: {},
      });
    await source.sql.query(
      `UPDATE "ProjectUser" SET "displayName" = 'After Update' WHERE "projectUserId" = $1`,
      [id],
    );
    await expect.poll(async () => (await userRow(id))?.display_name, EVENTUALLY).toBe('After Update');
    await source.sql.query(`DELETE FROM "ProjectUser" WHERE "projectUserId" = $1`, [id]);
    await expect.poll(() => userRow(id), EVENTUALLY).toBeUndefined();
    // Each mapping commits on its own (as upstream): the channel's tombstone lands in its own transaction.
    await expect
      .poll(() => mirrorRows(mirror, `SELECT * FROM contact_channels WHERE user_id = $1`, [id]), EVENTUALLY)
      .toEqual([]);
  });

  it('keeps the last of several updates made before a sync (last update wins)', async () => {
    engine.setStage('workers', false);
    const id = await insertUser(source, 'Name v1');
    for (const name of ['Name v2', 'Name v3']) {
      await source.sql.query(`UPDATE "ProjectUser" SET "displayName" = $2 WHERE "projectUserId" = $1`, [
        id,
        name,
      ]);
    }
    engine.setStage('workers', true);
    await engine.syncNow();
    expect((await userRow(id))?.display_name).toBe('Name v3');
  });

  it('never exports a user deleted before the first sync', async () => {
    engine.setStage('workers', false);
    const id = await insertUser(source, 'Ephemeral', 'ephemeral@example.com');
    await source.sql.query(
      `UPDATE "ProjectUser" SET "displayName" = 'Still ephemeral' WHERE "projectUserId" = $1`,
      [id],
    );
    await source.sql.query(`DELETE FROM "ProjectUser" WHERE "projectUserId" = $1`, [id]);
    engine.setStage('workers', true);
    const result = await engine.syncNow();
    expect(result.targets[0]).toMatchObject({ caughtUp: true, settled: true });
    expect(await userRow(id)).toBeUndefined();
    expect(
      await mirrorRows(mirror, `SELECT 1 FROM users WHERE primary_email = 'ephemeral@example.com'`),
    ).toEqual([]);
  });

  it('exports a fresh contact channel when an email is re-created after a delete', async () => {
    const first = await insertUser(source, 'First owner', 'again@example.com');
    await engine.syncNow();
    await source.sql.query(`DELETE FROM "ProjectUser" WHERE "projectUserId" = $1`, [first]);
    const second = await insertUser(source, 'Second owner', 'again@example.com');
    await engine.syncNow();
    const users = await mirrorRows(
      mirror,
      `SELECT id, display_name FROM users WHERE primary_email = 'again@example.com'`,
    );
    expect(users).toEqual([{ id: second, display_name: 'Second owner' }]);
    const channels = await mirrorRows<{ user_id: string }>(
      mirror,
      `SELECT user_id FROM contact_channels WHERE value = 'again@example.com'`,
    );
    expect(channels.map((c) => c.user_id)).toEqual([second]);
  });

  it('round-trips special characters exactly', async () => {
    const name = `O'Connor 🚀 用户 "Test" \\ tab\tnew\nline`;
    const id = await insertUser(source, name, 'ünïcödé+tag@例え.jp');
    await source.sql.query(`UPDATE "ProjectUser" SET "clientMetadata" = $2 WHERE "projectUserId" = $1`, [
      id,
      JSON.stringify({ quote: `"'`, emoji: '🚀', nested: { backslash: '\\' } }),
    ]);
    await engine.syncNow();
    expect(await userRow(id)).toMatchObject({
      display_name: name,
      primary_email: 'ünïcödé+tag@例え.jp',
      client_metadata: { quote: `"'`, emoji: '🚀', nested: { backslash: '\\' } },
    });
  });

  it('keeps one row per user carrying the primary email when a secondary email is added', async () => {
    const id = await insertUser(source, 'Two emails', 'primary@example.com');
    await addEmail(source, id, 'secondary@example.com', false);
    await engine.syncNow();
    expect(await mirrorRows(mirror, `SELECT primary_email FROM users WHERE id = $1`, [id])).toEqual([
      { primary_email: 'primary@example.com' },
    ]);
    const channels = await mirrorRows(
      mirror,
      `SELECT value, is_primary FROM contact_channels WHERE user_id = $1 ORDER BY value`,
      [id],
    );
    expect(channels).toEqual([
      { value: 'primary@example.com', is_primary: true },
      { value: 'secondary@example.com', is_primary: false },
    ]);
  });

  it('ends equal to the source, mapping by mapping', async () => {
    await engine.syncNow();
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
  });

  it('reports no backlog when restarted on an up-to-date mirror, not one counted before its checkpoints load', async () => {
    await engine.syncNow();
    await engine.stop();
    const backlogs: number[] = [];
    engine = await engineFor(source.url, [mirror.url], {
      onEvent: (event) => {
        if (event.type === 'backlog' && event.mapping === 'users') backlogs.push(event.rows);
      },
    });
    await expect.poll(() => backlogs.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(backlogs).toEqual([0]);
    expect(engine.status().targets[0]!.mappings.find((m) => m.mapping === 'users')?.backlogRows).toBe(0);
  });
});
