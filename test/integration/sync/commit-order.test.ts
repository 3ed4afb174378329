import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SyncEngine } from '../../../main/sync/index.js';
import {
  engineFor,
  type InternalDb,
  insertUser,
  internalDatabase,
  mirrorDatabase,
  mirrorMatches,
  mirrorRows,
  onCleanup,
} from './helpers.js';

// stack-sync.md §8.5: sequence ids commit out of order; a plain `sequence_id > checkpoint` filter loses the row
// whose id was handed out first but committed last.
let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;
let engine: SyncEngine;
let side: pg.Client;

const checkpoint = async () =>
  Number(
    (
      await mirrorRows<{ c: string }>(
        mirror,
        `SELECT last_synced_sequence_id::text AS c FROM _hexclave_sync_progress WHERE scope = $1 AND mapping_name = 'users'`,
        [source.project.tenancyId],
      )
    )[0]?.c ?? -1,
  );
const displayName = async (id: string) =>
  (
    await mirrorRows<{ display_name: string }>(mirror, `SELECT display_name FROM users WHERE id = $1`, [id])
  )[0]?.display_name;

beforeAll(async () => {
  source = await internalDatabase('sync_order_src');
  mirror = await mirrorDatabase('sync_order_dst');
  engine = await engineFor(source.url, [mirror.url]);
  side = new pg.Client({ connectionString: source.url });
  await side.connect();
  onCleanup(() => side.end());
});

afterEach(async () => {
  await side.query('ROLLBACK').catch(() => {});
});

describe('commit order', () => {
  it('does not lose a row whose low id commits after a higher id was synced', async () => {
    const late = await insertUser(source, 'late: original');
    await engine.syncNow();
    // A second sequencer (plain SQL) stamps `late` and keeps its transaction open.
    await side.query('BEGIN');
    const stamped = await side.query<{ seq: string }>(
      `UPDATE "ProjectUser" SET "sequenceId" = nextval('global_seq_id'), "shouldUpdateSequenceId" = FALSE,
              "displayName" = 'late: committed last'
       WHERE "projectUserId" = $1 RETURNING "sequenceId"::text AS seq`,
      [late],
    );
    const lowId = Number(stamped.rows[0]!.seq);

    // Meanwhile a later change gets a higher id, commits and reaches the mirror.
    const early = await insertUser(source, 'early');
    await expect.poll(() => displayName(early)).toBe('early');
    const status = engine.status();
    expect(status.source.watermark?.holders).toBeGreaterThanOrEqual(1);
    expect(status.source.watermark!.safeSequenceId).toBeLessThan(lowId);
    // The checkpoint is held below the open transaction's id although a higher id was applied.
    expect(await checkpoint()).toBeLessThan(lowId);

    await side.query('COMMIT');
    // No further change is needed: the watermark passes, the engine re-reads from the checkpoint.
    await expect.poll(() => displayName(late)).toBe('late: committed last');
    await expect.poll(checkpoint).toBeGreaterThan(lowId);
  });

  it('stays exact with two sequencers stamping concurrently', async () => {
    const other = await engineFor(source.url, [(await mirrorDatabase('sync_order_dst2')).url]);
    const ids: string[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async (worker) => {
        const client = new pg.Client({ connectionString: source.url });
        await client.connect();
        try {
          for (let i = 0; i < 40; i++) {
            const { rows } = await client.query<{ id: string }>(
              `INSERT INTO "ProjectUser" ("tenancyId", "mirroredProjectId", "mirroredBranchId", "displayName")
               VALUES ($1, $2, 'main', $3) RETURNING "projectUserId" AS id`,
              [source.project.tenancyId, source.project.projectId, `w${worker}-${i}`],
            );
            ids.push(rows[0]!.id);
            if (i % 5 === 0) {
              await client.query(`UPDATE "ProjectUser" SET "displayName" = $2 WHERE "projectUserId" = $1`, [
                ids[Math.floor(Math.random() * ids.length)],
                `w${worker}-edit-${i}`,
              ]);
            }
          }
        } finally {
          await client.end();
        }
      }),
    );
    await Promise.all([engine.syncNow(), other.syncNow()]);
    await engine.syncNow();
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
  });

  it('ignores uncommitted overlapping updates (upstream race test)', async () => {
    const baseline = await insertUser(source, 'baseline');
    await engine.syncNow();
    await side.query('BEGIN');
    await side.query(`UPDATE "ProjectUser" SET "displayName" = 'Transaction 1' WHERE "projectUserId" = $1`, [
      baseline,
    ]);
    const marker = await insertUser(source, 'marker');
    await expect.poll(() => displayName(marker)).toBe('marker');
    expect(await displayName(baseline)).toBe('baseline');
    await side.query('ROLLBACK');
    await engine.syncNow();
    expect(await displayName(baseline)).toBe('baseline');
  });
});
