import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DEFER_STAMPS_SETTING } from '../../shared/internal-db.js';
import { machineBusySeconds } from './cpu.js';

/**
 * N users with one primary email channel each, written set-based into the internal schema. As a project that has
 * never been synced has them: no sequence ids, every row flagged (the column default), waiting for the sequencer —
 * written the way upstream's backend writes, so the emulator's triggers do not stamp them (migration 0010).
 */
export async function seedUsers(
  source: pg.Client,
  tenancyId: string,
  projectId: string,
  users: number,
): Promise<void> {
  const batch = 50_000;
  await source.query(`SET ${DEFER_STAMPS_SETTING} = on`);
  for (let start = 1; start <= users; start += batch) {
    const end = Math.min(users, start + batch - 1);
    await source.query(
      `WITH u AS (
         INSERT INTO "ProjectUser" ("tenancyId", "mirroredProjectId", "mirroredBranchId", "displayName", "clientMetadata",
                                    "signedUpAt", "createdAt")
         SELECT $1, $2, 'main', 'Bench user ' || g, jsonb_build_object('plan', CASE WHEN g % 3 = 0 THEN 'pro' ELSE 'free' END, 'n', g),
                now() - make_interval(secs => g), now() - make_interval(secs => g)
         FROM generate_series($3::int, $4::int) AS g
         RETURNING "tenancyId", "projectUserId", "displayName"
       )
       INSERT INTO "ContactChannel" ("tenancyId", "projectUserId", "type", "isPrimary", "usedForAuth", "isVerified", "value")
       SELECT "tenancyId", "projectUserId", 'EMAIL', 'TRUE', 'TRUE', random() < 0.5,
              lower(replace("displayName", ' ', '.')) || '@bench.example.com'
       FROM u`,
      [tenancyId, projectId, start, end],
    );
  }
  await source.query(`RESET ${DEFER_STAMPS_SETTING}`);
  await source.query('VACUUM ANALYZE "ProjectUser", "ContactChannel"');
}

/** The physical baseline: a plain COPY of the same source rows into column-compatible tables (no indexes). */
export async function copyBaseline(
  source: pg.Client,
  target: pg.Client,
  tenancyId: string,
): Promise<{ rowsPerSec: number; coreSeconds: number }> {
  let rows = 0;
  let ms = 0;
  let coreSeconds = 0;
  for (const table of ['ProjectUser', 'ContactChannel']) {
    const { rows: definition } = await source.query<{ columns: string }>(
      `SELECT string_agg(quote_ident(a.attname) || ' ' ||
                CASE WHEN t.typtype = 'e' THEN 'text' ELSE format_type(a.atttypid, a.atttypmod) END, ', ' ORDER BY a.attnum) AS columns
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
       WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
      [`"${table}"`],
    );
    const copyTable = `bench_copy_${table.toLowerCase()}`;
    await target.query(
      `DROP TABLE IF EXISTS ${copyTable}; CREATE TABLE ${copyTable} (${definition[0]!.columns})`,
    );
    const [started, busy] = [performance.now(), machineBusySeconds()];
    await pipeline(
      source.query(copyTo(`COPY (SELECT * FROM "${table}" WHERE "tenancyId" = '${tenancyId}') TO STDOUT`)),
      target.query(copyFrom(`COPY ${copyTable} FROM STDIN`)),
    );
    ms += performance.now() - started;
    coreSeconds += machineBusySeconds() - busy;
    const { rows: count } = await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${copyTable}`);
    rows += Number(count[0]!.n);
    await target.query(`DROP TABLE ${copyTable}`);
  }
  return { rowsPerSec: (rows * 1000) / ms, coreSeconds };
}
