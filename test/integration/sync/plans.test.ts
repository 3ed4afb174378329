import { beforeAll, describe, expect, it } from 'vitest';
import { USER_SELECT } from '../../../main/emulator/domain/users/index.js';
import { INDEX_LOOKUPS_ONLY } from '../../../main/sync/pg.js';
import { bulkPageSql, pageSql } from '../../../main/sync/source/fetch-sql.js';
import { syncMapping } from '../../../shared/sync/index.js';
import { type InternalDb, internalDatabase, seedUsers } from './helpers.js';

// A project whose users were just created (an import, the emulator's seeding) still has the statistics of empty
// tables. With them, the primary-email lookup was planned through the (tenancyId, type, value, usedForAuth) index
// and walked half the tenancy's email channels for every user: a 6,000-user snapshot took 4.3 s instead of 14 ms.
// The plan must probe each user's channels by (tenancy, user) whatever the statistics say; the emulator's user
// listing had the same lookup.
let source: InternalDb;

beforeAll(async () => {
  source = await internalDatabase('sync_plans_src');
  await seedUsers(source, 3000, 'fresh');
});

interface PlanNode {
  'Relation Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

async function channelLookups(sql: string): Promise<PlanNode[]> {
  await source.sql.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${INDEX_LOOKUPS_ONLY}`);
  try {
    const { rows } = await source.sql.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) ${sql}`,
    );
    const found: PlanNode[] = [];
    const walk = (node: PlanNode) => {
      if (node['Relation Name'] === 'ContactChannel') found.push(node);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(rows[0]!['QUERY PLAN'][0].Plan);
    return found;
  } finally {
    await source.sql.query('COMMIT');
  }
}

describe('the primary-email lookup on fresh statistics', () => {
  const users = syncMapping('users')!;

  it('probes by tenancy and user in the first snapshot and in pages', async () => {
    const { rows } = await source.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stats WHERE tablename = 'ContactChannel'`,
    );
    expect(rows[0]!.n, 'the tables have never been analyzed').toBe(0);
    for (const [label, sql] of [
      ['snapshot', bulkPageSql(users, source.project.tenancyId, null, null)],
      ['page', pageSql(users, source.project.tenancyId, -1, 1000)],
    ] as const) {
      const lookups = await channelLookups(sql);
      expect(lookups.length, `${label}: one lookup of ContactChannel`).toBe(1);
      expect(lookups[0]!['Index Cond'] ?? '', `${label}: lookup by user`).toContain('"projectUserId"');
    }
  });

  it('probes by tenancy and user when the emulator lists users', async () => {
    const tenancy = source.sql.escapeLiteral(source.project.tenancyId);
    const lookups = await channelLookups(`${USER_SELECT} WHERE pu."tenancyId" = ${tenancy} LIMIT 100`);
    expect(lookups.length, 'one lookup of ContactChannel').toBe(1);
    expect(lookups[0]!['Index Cond'] ?? '', 'lookup by user').toContain('"projectUserId"');
  });
});
