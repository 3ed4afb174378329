import { beforeAll, describe, expect, it } from 'vitest';
import type { SyncEngine } from '../../../main/sync/index.js';
import type { MappingProgress } from '../../../shared/sync/index.js';
import {
  engineFor,
  type InternalDb,
  internalDatabase,
  mirrorDatabase,
  mirrorRows,
  seedUsers,
} from './helpers.js';

// "Lag" is measured from real change→mirror samples in its window and nothing else: an idle stretch is "no
// changes", a fresh change after an idle stretch is as fast as it really was, and what still waits has an age of
// its own. A short window (the engine's lagWindowMs) stands in for the default minute.
const WINDOW_MS = 3000;

let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;
let engine: SyncEngine;

const mappings = (): MappingProgress[] => engine.status().targets[0]!.mappings;
const sampled = () => mappings().filter((m) => m.lag.samples > 0);

beforeAll(async () => {
  source = await internalDatabase('sync_lag_src');
  mirror = await mirrorDatabase('sync_lag_mirror');
  engine = await engineFor(source.url, [mirror.url], { tuning: { lagWindowMs: WINDOW_MS } });
  // Users and their e-mails in one transaction: one sequencer tick stamps both tables, ids interleaved.
  await seedUsers(source, 30);
  await engine.syncNow();
});

async function mirrored(sql: string): Promise<boolean> {
  return (await mirrorRows(mirror, sql)).length > 0;
}

describe('change-to-mirror lag', () => {
  it('says "no changes" once the window has passed without one, never a figure', async () => {
    expect(sampled().length).toBeGreaterThan(0);
    await expect.poll(() => sampled().length, { timeout: WINDOW_MS * 4 }).toBe(0);
    for (const m of mappings()) {
      expect(m.lag).toMatchObject({ p50Ms: null, p99Ms: null, samples: 0, windowMs: WINDOW_MS });
      expect(m.oldestWaitingMs).toBeNull();
    }
  });

  it('measures a change after an idle stretch as fast as it was, not as old as the last backfill', async () => {
    // The idle stretch above lasted at least the window; a resampled seed tick would read as that much lag.
    await source.sql.query(
      `UPDATE "ProjectUser" SET "displayName" = 'renamed' WHERE "displayName" = 'seed-7'`,
    );
    await source.sql.query(
      `UPDATE "ContactChannel" SET "value" = 'moved@example.com' WHERE "value" = 'seed-8@example.com'`,
    );
    await expect
      .poll(
        async () =>
          (await mirrored(`SELECT 1 FROM users WHERE display_name = 'renamed'`)) &&
          (await mirrored(`SELECT 1 FROM contact_channels WHERE value = 'moved@example.com'`)),
        { timeout: 15_000 },
      )
      .toBe(true);
    await expect
      .poll(() =>
        sampled()
          .map((m) => m.mapping)
          .sort(),
      )
      .toEqual(expect.arrayContaining(['contact_channels', 'users']));
    for (const m of sampled()) {
      // One change each (a second tick may carry a trigger's follow-up), each mirrored well inside the idle time.
      expect(m.lag.samples, m.mapping).toBeLessThanOrEqual(2);
      expect(m.lag.p99Ms!, m.mapping).toBeLessThan(WINDOW_MS);
    }
  });

  it('gives what waits behind paused workers an age of its own, and its real lag once it lands', async () => {
    engine.setStage('workers', false);
    await source.sql.query(`UPDATE "ProjectUser" SET "displayName" = 'held' WHERE "displayName" = 'seed-9'`);
    const users = () => mappings().find((m) => m.mapping === 'users')!;
    await expect.poll(() => users().backlogRows, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => users().oldestWaitingMs ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(1000);
    const heldFor = users().oldestWaitingMs!;
    engine.setStage('workers', true);
    await expect
      .poll(() => mirrored(`SELECT 1 FROM users WHERE display_name = 'held'`), { timeout: 15_000 })
      .toBe(true);
    await expect.poll(() => users().oldestWaitingMs).toBeNull();
    // The held change's lag is at least how long it waited, and it is the only new sample.
    expect(users().lag.p99Ms!).toBeGreaterThanOrEqual(heldFor);
    expect(users().lag.p99Ms!).toBeLessThan(heldFor + WINDOW_MS);
  });
});
