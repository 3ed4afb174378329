import { beforeAll, describe, expect, it } from 'vitest';
import { removeChangeCapture } from '../../../main/emulator/index.js';
import type { SyncEngine } from '../../../main/sync/index.js';
import {
  engineFor,
  type InternalDb,
  insertUser,
  internalDatabase,
  mirrorDatabase,
  mirrorMatches,
  mirrorRows,
} from './helpers.js';

// A self-hosted Stack Auth database has no change-capture triggers (stack-sync.md §1.6): inserts are pending by
// column default, the app flags updates itself and writes the DeletedRow tombstone in the delete's transaction.
let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;
let engine: SyncEngine;

const row = async (id: string) =>
  (
    await mirrorRows<{ display_name: string }>(mirror, `SELECT display_name FROM users WHERE id = $1`, [id])
  )[0];

beforeAll(async () => {
  source = await internalDatabase('sync_selfhosted_src');
  expect(await removeChangeCapture(source.url)).toBeGreaterThan(0);
  mirror = await mirrorDatabase('sync_selfhosted_dst');
  engine = await engineFor(source.url, [mirror.url], { tuning: { pollIntervalMs: 50 } });
});

describe('source without change-capture triggers (upstream semantics)', () => {
  it('reports application-level change capture', () => {
    expect(engine.status().source.changeCapture).toBe('application');
  });

  it('picks inserts up through the column default, by polling', async () => {
    const id = await insertUser(source, 'polled insert', 'polled@example.com');
    await expect.poll(() => row(id), { timeout: 3000 }).toEqual({ display_name: 'polled insert' });
  });

  it('syncs an update only when the app flags the row, as upstream does', async () => {
    const id = await insertUser(source, 'v1');
    await engine.syncNow();
    await source.sql.query(
      `UPDATE "ProjectUser" SET "displayName" = 'unflagged' WHERE "projectUserId" = $1`,
      [id],
    );
    await engine.syncNow();
    expect(await row(id)).toEqual({ display_name: 'v1' });
    await source.sql.query(
      `UPDATE "ProjectUser" SET "displayName" = 'flagged', "shouldUpdateSequenceId" = TRUE WHERE "projectUserId" = $1`,
      [id],
    );
    await expect.poll(() => row(id)).toEqual({ display_name: 'flagged' });
  });

  it('deletes a user whose tombstone the app wrote in the same transaction', async () => {
    const id = await insertUser(source, 'to delete', 'gone@example.com');
    await engine.syncNow();
    expect(await row(id)).toBeDefined();
    // recordExternalDbSyncDeletion + its contact-channel helper, then the delete (the FK cascade removes channels).
    await source.sql.query('BEGIN');
    await source.sql.query(
      `INSERT INTO "DeletedRow" ("tenancyId", "tableName", "primaryKey", "data")
       SELECT "tenancyId", 'ContactChannel', jsonb_build_object('tenancyId', "tenancyId", 'projectUserId', "projectUserId", 'id', "id"), to_jsonb(c.*)
       FROM "ContactChannel" c WHERE "projectUserId" = $1`,
      [id],
    );
    await source.sql.query(
      `INSERT INTO "DeletedRow" ("tenancyId", "tableName", "primaryKey", "data")
       SELECT "tenancyId", 'ProjectUser', jsonb_build_object('tenancyId', "tenancyId", 'projectUserId', "projectUserId"), to_jsonb(u.*)
       FROM "ProjectUser" u WHERE "projectUserId" = $1 FOR UPDATE`,
      [id],
    );
    await source.sql.query(`DELETE FROM "ProjectUser" WHERE "projectUserId" = $1`, [id]);
    await source.sql.query('COMMIT');
    await expect.poll(() => row(id)).toBeUndefined();
    await expect
      .poll(() => mirrorRows(mirror, `SELECT 1 FROM contact_channels WHERE value = 'gone@example.com'`))
      .toEqual([]);
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
  });
});
