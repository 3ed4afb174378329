import { type ChildProcess, spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { mirrorTableDdl, syncMapping } from '../../../main/sync/index.js';
import { CLI } from '../../helpers/cli.js';
import {
  type InternalDb,
  internalDatabase,
  mirrorDatabase,
  mirrorMatches,
  mirrorRows,
  onCleanup,
  seedUsers,
  versionedChurn,
  watchForRegressions,
} from './helpers.js';

// Scale out with Postgres alone: two sync processes on one source and one target share the work through row
// claims (SKIP LOCKED on the source's flagged rows and on the target's progress rows) and the checkpoints kept in
// the target. No coordinator, no process knows about the other, and no change may land out of order.
let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;

beforeAll(async () => {
  source = await internalDatabase('sync_scale_src');
  mirror = await mirrorDatabase('sync_scale_dst');
  await seedUsers(source, 3000, 'v-0');
  // The mirror's users table exists before either process starts, so every write is watched.
  await mirror.sql.query(mirrorTableDdl(syncMapping('users')));
  await watchForRegressions(mirror);
});

interface SyncProcess {
  readonly child: ChildProcess;
  /** Rows this process applied itself, from its last status line. */
  rowsApplied(): number;
}

function startProcess(): SyncProcess {
  const child = spawn(
    process.execPath,
    [CLI, 'sync', '--source', source.url, '--target', mirror.url, '--page-rows', '300', '--json'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  onCleanup(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let last = 0;
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const status = JSON.parse(line) as { targets: { rowsApplied: number }[] };
      last = status.targets.reduce((sum, t) => sum + t.rowsApplied, 0);
    }
  });
  return { child, rowsApplied: () => last };
}

async function stopProcess(process: SyncProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => process.child.once('exit', resolve));
  process.child.kill('SIGINT');
  return exited;
}

describe('two sync processes on one source and one target', () => {
  it('share the work and never apply a change out of order', { timeout: 180_000 }, async () => {
    const processes = [startProcess(), startProcess()];
    // Both processes catch up on the existing users together, then keep up with an app making changes.
    await expect.poll(() => mirrorMatches(source, mirror.url), { timeout: 90_000, interval: 500 }).toBe(true);
    const churn = { done: false, rounds: 0, beforeStamped: 0 };
    const writer = versionedChurn(source, churn);
    await expect.poll(() => churn.rounds, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(150);
    churn.done = true;
    await writer;

    await expect.poll(() => mirrorMatches(source, mirror.url), { timeout: 60_000, interval: 500 }).toBe(true);
    // Both did part of it (each status line counts only the rows its own process applied).
    await expect
      .poll(() => processes.map((p) => p.rowsApplied() > 0), { timeout: 10_000 })
      .toEqual([true, true]);
    expect(await mirrorRows(mirror, 'SELECT * FROM regressions')).toEqual([]);
    const writes = await mirrorRows<{ n: number }>(mirror, 'SELECT n FROM writes');
    expect(writes[0]!.n).toBeGreaterThan(100);
    expect(await Promise.all(processes.map(stopProcess))).toEqual([0, 0]);
  });
});
