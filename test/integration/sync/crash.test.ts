import { type ChildProcess, spawn } from 'node:child_process';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../../helpers/cli.js';
import {
  type InternalDb,
  internalDatabase,
  mirrorDatabase,
  mirrorMatches,
  mirrorRows,
  seedUsers,
} from './helpers.js';

// Rows and their checkpoint commit in one target transaction: killing the engine (SIGKILL, no cleanup) at any
// moment and restarting it converges to exactly the source state.
let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;

beforeAll(async () => {
  source = await internalDatabase('sync_crash_src');
  mirror = await mirrorDatabase('sync_crash_dst');
  await seedUsers(source, 4000);
});

function startEngine(): ChildProcess {
  return spawn(
    process.execPath,
    [CLI, 'sync', '--source', source.url, '--target', mirror.url, '--page-rows', '700', '--json'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
}

/** The engine has connected to the mirror (the previous, killed process's connections are gone by then). */
async function engineApplying(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`engine exited early (${child.exitCode})`);
    const rows = await mirrorRows(
      mirror,
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'hexclave-companion-sync:target%'`,
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('engine did not start applying within 20 s');
}

/** The mirror holds users: a snapshot (or a page) has committed (the table itself may not be created yet). */
async function mirrorHoldsUsers(): Promise<void> {
  const deadline = Date.now() + 60_000;
  const holdsUsers = () =>
    mirrorRows(mirror, 'SELECT 1 FROM users LIMIT 1').then(
      (rows) => rows.length > 0,
      (error: { code?: string }) => {
        if (error.code === '42P01') return false;
        throw error;
      },
    );
  while (!(await holdsUsers())) {
    if (Date.now() > deadline) throw new Error('no users reached the mirror within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Kill `ms` after the engine started applying (so some kills land mid-backfill, some mid-churn); 'committed': once
 * the mirror holds users, and 250 ms later.
 */
async function killAfter(child: ChildProcess, ms: number | 'committed'): Promise<void> {
  await engineApplying(child);
  if (ms === 'committed') await mirrorHoldsUsers();
  await new Promise((resolve) => setTimeout(resolve, ms === 'committed' ? 250 : ms));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Churn on the source while the engine keeps dying: updates, inserts and deletes (with FK cascades). */
async function churn(stop: { done: boolean }): Promise<void> {
  const client = new pg.Client({ connectionString: source.url });
  await client.connect();
  try {
    for (let i = 0; !stop.done; i++) {
      await client.query(
        `UPDATE "ProjectUser" SET "displayName" = 'edited-' || $1 WHERE "projectUserId" IN
           (SELECT "projectUserId" FROM "ProjectUser" ORDER BY random() LIMIT 20)`,
        [i],
      );
      if (i % 3 === 0) {
        await client.query(
          `DELETE FROM "ProjectUser" WHERE "projectUserId" IN (SELECT "projectUserId" FROM "ProjectUser" ORDER BY random() LIMIT 5)`,
        );
      }
      if (i % 4 === 0) {
        await client.query(
          `UPDATE "ContactChannel" SET "isVerified" = NOT "isVerified" WHERE "id" IN
             (SELECT "id" FROM "ContactChannel" ORDER BY random() LIMIT 10)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  } finally {
    await client.end();
  }
}

describe('crash safety', () => {
  it('converges to the source after repeated kill -9 of a real engine process', {
    timeout: 120_000,
  }, async () => {
    const stop = { done: false };
    const writer = churn(stop);
    // Most kills land mid-snapshot (the first sync of an empty mirror is one transaction, so it starts over); one
    // waits for that snapshot to commit (however loaded the machine), and the kills after it land mid-churn.
    const kills = [30, 60, 120, 250, 500, 90, 'committed', 15, 400] as const;
    for (const ms of kills) await killAfter(startEngine(), ms);
    stop.done = true;
    await writer;

    const applied = await mirrorRows<{ n: string }>(mirror, `SELECT count(*) AS n FROM users`);
    expect(Number(applied[0]!.n)).toBeGreaterThan(0);
    const result = await runCli([
      'sync',
      '--source',
      source.url,
      '--target',
      mirror.url,
      '--page-rows',
      '700',
      '--once',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { mappings: { name: string }[]; seconds: number };
    expect(summary.mappings.map((m) => m.name)).toContain('users');
    expect(await mirrorMatches(source, mirror.url)).toBe(true);
  });
});
