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
    await expect.poll(() => displayName(early), { timeout: 15_000 }).toBe('early');
    const status = engine.status();
    expect(status.source.watermark?.holders).toBeGreaterThanOrEqual(1);
    expect(status.source.watermark!.safeSequenceId).toBeLessThan(lowId);
    // The checkpoint is held below the open transaction's id although a higher id was applied.
    expect(await checkpoint()).toBeLessThan(lowId);

    await side.query('COMMIT');
    // No further change is needed: the watermark passes, the engine re-reads from the checkpoint.
    await expect.poll(() => displayName(late), { timeout: 15_000 }).toBe('late: committed last');
    await expect.poll(checkpoint, { timeout: 15_000 }).toBeGreaterThan(lowId);
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
    // A deadline, not vitest's 1 s default: on a loaded 2-core CI box one sync round can take longer.
    await expect.poll(() => displayName(marker), { timeout: 15_000 }).toBe('marker');
    expect(await displayName(baseline)).toBe('baseline');
    await side.query('ROLLBACK');
    await engine.syncNow();
    expect(await displayName(baseline)).toBe('baseline');
  });
});

describe('roles without superuser rights', () => {
  async function role(name: string, grants: string): Promise<string> {
    const admin = new pg.Client({ connectionString: source.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD 'pw'; GRANT USAGE ON SCHEMA public TO ${name};
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${name}; GRANT SELECT ON SEQUENCE global_seq_id TO ${name}; ${grants}`);
    onCleanup(async () => {
      await admin.query(`DROP OWNED BY ${name}; DROP ROLE ${name}`).catch(() => {});
      await admin.end();
    });
    const url = new URL(source.url);
    url.username = name;
    url.password = 'pw';
    return url.toString();
  }

  it('keep the watermark sound although pg_stat_activity hides other roles’ transactions', async () => {
    const name = `sync_role_${Math.random().toString(36).slice(2, 7)}`;
    const tables = `"ProjectUser", "ContactChannel", "Team", "TeamMember", "TeamMemberDirectPermission", "VerificationCode",
      "ProjectUserDirectPermission", "UserNotificationPreference", "ProjectUserRefreshToken", "ProjectUserOAuthAccount", "DeletedRow"`;
    const url = await role(
      name,
      `GRANT UPDATE ON ${tables} TO ${name}; GRANT USAGE ON SEQUENCE global_seq_id TO ${name};
       GRANT INSERT, UPDATE, DELETE ON "OutgoingRequest" TO ${name};`,
    );
    const target = await mirrorDatabase('sync_order_role');
    const limited = await engineFor(url, [target.url], { tenancyIds: [source.project.tenancyId] });
    await limited.syncNow();
    const late = await insertUser(source, 'role: original');
    await limited.syncNow();

    await side.query('BEGIN');
    await side.query(
      `UPDATE "ProjectUser" SET "sequenceId" = nextval('global_seq_id'), "shouldUpdateSequenceId" = FALSE,
              "displayName" = 'role: committed last' WHERE "projectUserId" = $1`,
      [late],
    );
    // What this role can see of the superuser's open transaction: nothing useful in pg_stat_activity.
    const observer = new pg.Client({ connectionString: url });
    await observer.connect();
    onCleanup(() => observer.end());
    const seen = await observer.query(`SELECT xact_start FROM pg_stat_activity WHERE pid = $1`, [
      (side as unknown as { processID: number }).processID,
    ]);
    expect(seen.rows).toEqual([{ xact_start: null }]);

    const early = await insertUser(source, 'role: early');
    await expect
      .poll(() => mirrorRows(target, 'SELECT display_name FROM users WHERE id = $1', [early]), {
        timeout: 15_000,
      })
      .toEqual([{ display_name: 'role: early' }]);
    expect(limited.status().source.watermark!.holders).toBeGreaterThanOrEqual(1);
    await side.query('COMMIT');
    await expect
      .poll(() => mirrorRows(target, 'SELECT display_name FROM users WHERE id = $1', [late]), {
        timeout: 15_000,
      })
      .toEqual([{ display_name: 'role: committed last' }]);
  });

  it('read-only: leave stamping to the source’s own sequencer and find its stamps by the sweep', async () => {
    const name = `sync_ro_${Math.random().toString(36).slice(2, 7)}`;
    const url = await role(name, '');
    const target = await mirrorDatabase('sync_order_ro');
    const readOnly = await engineFor(url, [target.url], { tenancyIds: [source.project.tenancyId] });
    expect(readOnly.status().source.notes.join(' ')).toMatch(/cannot stamp rows/);
    const id = await insertUser(source, 'stamped elsewhere');
    // The backend's own sequencer (here: the main engine of this file) stamps it.
    await engine.syncNow();
    await expect
      .poll(() => mirrorRows(target, 'SELECT display_name FROM users WHERE id = $1', [id]), { timeout: 5000 })
      .toEqual([{ display_name: 'stamped elsewhere' }]);
    expect(readOnly.status().source.lastError).toBeNull();
  });
});
