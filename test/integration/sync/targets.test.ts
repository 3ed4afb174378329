import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureProject } from '../../../main/emulator/index.js';
import { mirrorTableDdl, type SyncEvent, syncMapping } from '../../../main/sync/index.js';
import { MIRROR_FILLFACTOR } from '../../../main/sync/target/schema.js';
import { adminUrl } from '../../helpers/postgres.js';
import {
  engineFor,
  type InternalDb,
  insertUser,
  internalDatabase,
  mirrorDatabase,
  mirrorRows,
  onCleanup,
} from './helpers.js';

let source: InternalDb;
let projectB: { tenancyId: string; projectId: string };

beforeAll(async () => {
  source = await internalDatabase('sync_targets_src');
  projectB = await ensureProject(source.url, { projectId: crypto.randomUUID(), displayName: 'Project B' });
});

const emails = async (mirror: { sql: pg.Client }, schema = 'public') =>
  (
    await mirrorRows<{ e: string }>(mirror, `SELECT primary_email AS e FROM "${schema}".users ORDER BY 1`)
  ).map((r) => r.e);

describe('targets', () => {
  it('keeps projects isolated: each user appears only in its own project’s databases', async () => {
    const [a1, a2, b1, b2, b3] = await Promise.all(
      ['a1', 'a2', 'b1', 'b2', 'b3'].map((n) => mirrorDatabase(`sync_iso_${n}`)),
    );
    const engineA = await engineFor(source.url, [a1!.url, a2!.url], {
      tenancyIds: [source.project.tenancyId],
    });
    const engineB = await engineFor(source.url, [b1!.url, b2!.url, b3!.url], {
      tenancyIds: [projectB.tenancyId],
    });
    await insertUser(source, 'User A', 'user-a@example.com');
    await insertUser(source, 'User B', 'user-b@example.com', projectB);
    await Promise.all([engineA.syncNow(), engineB.syncNow()]);
    for (const m of [a1!, a2!]) expect(await emails(m)).toEqual(['user-a@example.com']);
    for (const m of [b1!, b2!, b3!]) expect(await emails(m)).toEqual(['user-b@example.com']);
  });

  it('lets several projects share one database, one schema each', async () => {
    const shared = await mirrorDatabase('sync_shared');
    const engineA = await engineFor(source.url, [{ url: shared.url, schema: 'project_a' }], {
      tenancyIds: [source.project.tenancyId],
    });
    const engineB = await engineFor(source.url, [{ url: shared.url, schema: 'project_b' }], {
      tenancyIds: [projectB.tenancyId],
    });
    await Promise.all([engineA.syncNow(), engineB.syncNow()]);
    expect(await emails(shared, 'project_a')).toEqual(['user-a@example.com']);
    expect(await emails(shared, 'project_b')).toEqual(['user-b@example.com']);
    expect(await mirrorRows(shared, `SELECT to_regclass('public.users') AS t`)).toEqual([{ t: null }]);
    // An unqualified query written against hosted sync runs unchanged with the schema on the search_path.
    await shared.sql.query('SET search_path = project_b');
    expect(await mirrorRows(shared, 'SELECT primary_email FROM users')).toEqual([
      { primary_email: 'user-b@example.com' },
    ]);
  });

  it('does not let a failing target block the others, and retries it with growing backoff', async () => {
    const good = await mirrorDatabase('sync_good');
    const lateName = `sync_late_${Math.random().toString(36).slice(2, 8)}`;
    const lateUrl = new URL(adminUrl());
    lateUrl.pathname = `/${lateName}`;
    const failures: number[] = [];
    const engine = await engineFor(
      source.url,
      [
        { url: good.url, id: 'good' },
        { url: lateUrl.toString(), id: 'late' },
      ],
      {
        tenancyIds: [source.project.tenancyId],
        tuning: { retryInitialMs: 100, retryMaxMs: 1600 },
        onEvent: (e: SyncEvent) => {
          if (e.type === 'error' && e.target === 'late') failures.push(e.at);
        },
      },
    );
    const id = await insertUser(source, 'while late is down', 'down@example.com');
    await expect
      .poll(async () => (await mirrorRows(good, 'SELECT 1 FROM users WHERE id = $1', [id])).length)
      .toBe(1);
    // Six failures: the wait before the sixth is the fifth doubling (100 ms × 2⁴ = 1,600 ms, less at most 20 %
    // jitter). A backoff that stopped growing would wait about 100 ms; a slow connection attempt on a loaded machine
    // only lengthens gaps, so the lower bound cannot be met by accident.
    await expect.poll(() => failures.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(6);
    const gaps = failures.slice(1).map((at, i) => at - failures[i]!);
    expect(gaps[4]!).toBeGreaterThanOrEqual(1600 * 0.8);
    const late = engine.status().targets.find((t) => t.id === 'late')!;
    expect(late).toMatchObject({ state: 'retrying' });
    expect(late.lastError).toMatch(/does not exist/);
    expect(late.lastError).not.toContain('hexclave-companion-local');
    expect(late.connection).toContain('*****');

    // The database appears: the next retry creates the tables and catches up.
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${lateName}`);
    onCleanup(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${lateName} WITH (FORCE)`);
      await admin.end();
    });
    const lateClient = new pg.Client({ connectionString: lateUrl.toString() });
    onCleanup(() => lateClient.end());
    await lateClient.connect();
    await expect
      .poll(
        async () =>
          (
            await lateClient
              .query(
                `SELECT to_regclass('users') IS NOT NULL AND EXISTS (SELECT 1 FROM users WHERE id = '${id}') AS ok`,
              )
              .catch(() => ({ rows: [{ ok: false }] }))
          ).rows[0].ok,
        { timeout: 10_000 },
      )
      .toBe(true);
    await expect.poll(() => engine.status().targets.find((t) => t.id === 'late')!.state).toBe('ok');
  });

  it('leaves room on each page of the mirror tables it creates, and an existing mirror table as it was', async () => {
    const mirror = await mirrorDatabase('sync_fillfactor');
    await mirror.sql.query(mirrorTableDdl(syncMapping('users')));
    const engine = await engineFor(source.url, [mirror.url], { tenancyIds: [source.project.tenancyId] });
    await engine.syncNow();
    const options = async (table: string) =>
      (
        await mirror.sql.query<{ options: string[] | null }>(
          `SELECT reloptions AS options FROM pg_class WHERE oid = $1::regclass`,
          [table],
        )
      ).rows[0]!.options;
    expect(await options('contact_channels')).toEqual([`fillfactor=${MIRROR_FILLFACTOR}`]);
    expect(await options('users')).toBeNull();
  });

  it('refuses to write into an existing table that is not a mirror table, saying how to fix it', async () => {
    const mirror = await mirrorDatabase('sync_conflict');
    await mirror.sql.query(`CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL)`);
    await mirror.sql.query(`INSERT INTO users (email) VALUES ('mine@example.com')`);
    const engine = await engineFor(source.url, [mirror.url], { tenancyIds: [source.project.tenancyId] });
    await expect
      .poll(() => engine.status().targets[0]!.lastError ?? '')
      .toMatch(/already exists and is not a mirror table/);
    expect(engine.status().targets[0]!.lastError).toMatch(/--target-schema/);
    expect(await mirrorRows(mirror, 'SELECT id, email FROM users')).toEqual([
      { id: 1, email: 'mine@example.com' },
    ]);
  });
});
