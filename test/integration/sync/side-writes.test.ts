import { beforeAll, describe, expect, it } from 'vitest';
import { openClients, openPool, TARGET_SESSION } from '../../../main/sync/pg.js';
import { freshRowsJsonSql } from '../../../main/sync/source/fetch-sql.js';
import { StageClock } from '../../../main/sync/stage-clock.js';
import { TargetApplier } from '../../../main/sync/target/applier.js';
import { sideUpsertSql, stageDdl } from '../../../main/sync/target/merge-sql.js';
import { PROGRESS_TABLE } from '../../../main/sync/target/schema.js';
import { GLOBAL_SEQUENCE_INCREMENT } from '../../../shared/internal-db.js';
import { syncMapping } from '../../../shared/sync/index.js';
import {
  engineFor,
  type InternalDb,
  internalDatabase,
  mirrorDatabase,
  mirrorRows,
  onCleanup,
  seedUsers,
} from './helpers.js';

// Rows named while a page merges are written beside it by another session (target/side.ts). Those writes cannot
// mark the progress row (the page holds it), so a page another engine read ahead before them must see them some
// other way: here the page they ran beside is rolled back, leaving the progress row exactly as that engine last saw
// it, and only the side-writes row says that a newer state of a key its page holds is in the mirror.
let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;
const users = syncMapping('users')!;

beforeAll(async () => {
  source = await internalDatabase('sync_side_src');
  mirror = await mirrorDatabase('sync_side_dst');
  await seedUsers(source, 3000, 'v-0');
  const engine = await engineFor(source.url, [mirror.url]);
  await engine.syncNow();
  await engine.stop();
});

/** An engine's lane on the mirror, driven by hand: its three target sessions and a source pool. */
async function lane(): Promise<TargetApplier> {
  const sessions = await openClients(
    mirror.url,
    [1, 2, 3].map(() => ({ role: 'target:test', options: TARGET_SESSION })),
  );
  const pool = openPool(source.url, 'fetch', 4);
  onCleanup(async () => {
    await Promise.allSettled(sessions.map((s) => s.end()));
    await pool.end();
  });
  const watermark = async () => {
    const { rows } = await source.sql.query<{ w: string }>(
      `SELECT GREATEST((SELECT max("sequenceId") FROM "ProjectUser"), (SELECT max("sequenceId") FROM "DeletedRow"),
                       (SELECT max("sequenceId") FROM "ContactChannel"))::text AS w`,
    );
    return Number(rows[0]!.w);
  };
  return new TargetApplier(
    {
      target: sessions[0]!,
      schema: 'public',
      sourcePool: pool,
      watermark,
      pageRows: 300,
      bulkPageRows: 10_000,
      heapSweeps: true,
      sequenceIncrement: GLOBAL_SEQUENCE_INCREMENT,
      clock: new StageClock(),
    },
    sessions[1]!,
    sessions[2]!,
  );
}

/** Poll until the lane's page read ahead is staged (its session then waits in its open transaction). */
async function pageStagedAhead(): Promise<void> {
  await expect
    .poll(
      async () =>
        (
          await mirrorRows<{ n: number }>(
            mirror,
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()
             AND application_name = 'hexclave-companion-sync:target:test' AND state LIKE 'idle in transaction%'`,
          )
        )[0]!.n,
      { timeout: 10_000, message: 'page read ahead staged' },
    )
    .toBe(1);
}

describe('named rows written beside a merging page', () => {
  it('make a page read ahead before them unusable, even when the page they ran beside was rolled back', {
    timeout: 60_000,
  }, async () => {
    const scope = source.project.tenancyId;
    const [{ c }] = (await mirrorRows<{ c: string }>(
      mirror,
      `SELECT last_synced_sequence_id::text AS c FROM ${PROGRESS_TABLE} WHERE scope = $1 AND mapping_name = 'users'`,
      [scope],
    )) as [{ c: string }];
    // A mass update: every user gets a new version above the checkpoint.
    await source.sql.query('CREATE SEQUENCE IF NOT EXISTS version_counter START 1');
    await source.sql.query(`UPDATE "ProjectUser" SET "displayName" = 'v-' || nextval('version_counter')`);

    // Engine B applies the backlog's first page and reads the next one ahead.
    const b = await lane();
    await b.prepareScope(scope, [users]);
    const first = await b.applyPage(scope, users, Number(c), Number.MAX_SAFE_INTEGER);
    expect(first.full, 'first page full').toBe(true);
    await pageStagedAhead();

    // A user of the page B read ahead changes again.
    const [{ id }] = (
      await source.sql.query<{ id: string }>(
        `SELECT "projectUserId" AS id FROM "ProjectUser" WHERE "sequenceId" > $1 ORDER BY "sequenceId" LIMIT 1`,
        [first.pageMax],
      )
    ).rows as [{ id: string }];
    await source.sql.query(
      `UPDATE "ProjectUser" SET "displayName" = 'v-999999999' WHERE "projectUserId" = $1`,
      [id],
    );

    // Engine A takes the mapping, writes that user beside its page, and its page is rolled back.
    const [lock, side] = await openClients(mirror.url, [
      { role: 'test-a', options: TARGET_SESSION },
      { role: 'test-a', options: TARGET_SESSION },
    ]);
    onCleanup(() => Promise.allSettled([lock!.end(), side!.end()]));
    await lock!.query(
      `BEGIN; SELECT 1 FROM ${PROGRESS_TABLE} WHERE scope = '${scope}' AND mapping_name = 'users' FOR UPDATE`,
    );
    const { rows } = await source.sql.query<{ rows: string }>(freshRowsJsonSql(users, ['projectUserId']), [
      scope,
      JSON.stringify([{ projectUserId: id }]),
    ]);
    await side!.query(stageDdl(users));
    await side!.query(sideUpsertSql(users, 'public'), [rows[0]!.rows, scope]);
    await lock!.query('ROLLBACK');

    // B's next page must not land the user's older version over the newer one.
    await b.applyPage(scope, users, first.pageMax!, Number.MAX_SAFE_INTEGER);
    const mirrored = await mirrorRows<{ display_name: string }>(
      mirror,
      'SELECT display_name FROM users WHERE id = $1',
      [id],
    );
    expect(mirrored, 'the user in the mirror').toEqual([{ display_name: 'v-999999999' }]);
  });
});
