import { beforeAll, describe, expect, it } from 'vitest';
import { syncMapping } from '../../../main/sync/index.js';
import { pageSql } from '../../../main/sync/source/fetch-sql.js';
import {
  engineFor,
  type InternalDb,
  internalDatabase,
  mirrorDatabase,
  mirrorMatches,
  mirrorRows,
  seedUsers,
} from './helpers.js';

let source: InternalDb;

beforeAll(async () => {
  source = await internalDatabase('sync_paging_src');
  await seedUsers(source, 2500);
});

/** Users in sequence order (the order pages walk them), once the sequencer has stamped them. */
async function usersBySequence(): Promise<string[]> {
  const { rows } = await source.sql.query<{ id: string }>(
    `SELECT "projectUserId" AS id FROM "ProjectUser" WHERE "sequenceId" IS NOT NULL ORDER BY "sequenceId"`,
  );
  return rows.map((r) => r.id);
}

describe('paging', () => {
  it('honours deletes at page boundaries with more than 1,000 rows', { timeout: 60_000 }, async () => {
    const mirror = await mirrorDatabase('sync_paging_dst');
    const engine = await engineFor(source.url, [mirror.url], {
      tuning: { pageRows: 1000, bulkPageRows: 1000 },
    });
    engine.setStage('workers', false);
    await engine.syncNow().catch(() => undefined);
    // Stamp everything, then delete around where 1,000-row pages will end, before the first sync...
    await expect.poll(async () => (await usersBySequence()).length, { timeout: 15_000 }).toBe(2500);
    const ordered = await usersBySequence();
    const before = [0, 1, 998, 999, 1000, 1001, 1999, 2000].map((i) => ordered[i]!);
    await source.sql.query(`DELETE FROM "ProjectUser" WHERE "projectUserId" = ANY($1::uuid[])`, [before]);
    engine.setStage('workers', true);
    await engine.syncNow();
    expect(await mirrorRows(mirror, 'SELECT count(*)::int AS n FROM users')).toEqual([{ n: 2492 }]);
    expect(await mirrorRows(mirror, 'SELECT 1 FROM users WHERE id = ANY($1::uuid[])', [before])).toEqual([]);

    // ...and after it (upstream's case: a low-id row among many higher ones).
    const after = [ordered[2]!, ordered[1002]!, ordered[2499]!];
    await source.sql.query(`DELETE FROM "ProjectUser" WHERE "projectUserId" = ANY($1::uuid[])`, [after]);
    await engine.syncNow();
    expect(await mirrorRows(mirror, 'SELECT count(*)::int AS n FROM users')).toEqual([{ n: 2489 }]);
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
  });

  it('computes derived columns only for the rows of a page, not for the whole backlog (no O(N²) paging)', async () => {
    const sql = pageSql(syncMapping('users'), source.project.tenancyId, -1, 100);
    // On 2,500 rows a hash join over the whole (small) ContactChannel table is the planner's cheaper choice, and it
    // switches to index lookups only as the table grows. With hash and merge joins off, the plan shows what the
    // SQL's shape allows: whether the page is limited before the lookups (100 of them) or after (one per backlog row).
    await source.sql.query('BEGIN');
    await source.sql.query('SET LOCAL enable_hashjoin = off');
    await source.sql.query('SET LOCAL enable_mergejoin = off');
    const { rows } = await source.sql
      .query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`)
      .finally(() => source.sql.query('ROLLBACK'));
    const lookups: number[] = [];
    const walk = (node: Record<string, unknown>) => {
      // Rows of ContactChannel this page touched: rows per loop × loops (a full scan would touch all 2,500).
      if (node['Relation Name'] === 'ContactChannel') {
        lookups.push(Number(node['Actual Loops']) * Math.max(1, Number(node['Actual Rows'])));
      }
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk((rows[0]['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0]!.Plan);
    expect(lookups.length).toBeGreaterThan(0);
    // 2,489 users wait above the checkpoint; only the page's 100 look their primary email up.
    for (const touched of lookups) expect(touched).toBeLessThanOrEqual(100);
  });
});
