/**
 * `npm run bench:sync -- --users N [--json]`: seed N users (one email each), then measure in one run
 * (1) backfill rows/s into an empty mirror, (2) a plain COPY of the same rows as the physical baseline,
 * (3) change-to-mirror latency over single-row updates at ~100/s, (4) peak RSS, and verify mirror = source.
 * Uses DATABASE_URL (a server where the role may CREATE DATABASE) or an ephemeral embedded PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ensureProject, migrateInternalDatabase } from '../main/emulator/index.js';
import { dropDatabase, ensureDatabase, startEmbeddedPostgres } from '../main/postgres/index.js';
import { startSyncEngine, verifyMirror } from '../main/sync/index.js';
import { percentile } from '../main/sync/metrics.js';
import { measureLatency } from './bench-sync/latency.js';
import { copyBaseline, seedUsers } from './bench-sync/seed.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    updates: { type: 'string', default: '600' },
    rate: { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
  },
});
const users = Number(values.users);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function main() {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer: (() => Promise<void>) | null = null;
  if (!adminUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'hexclave-bench-pg-'));
    const server = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    adminUrl = server.adminUrl;
    stopServer = async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const suffix = randomBytes(3).toString('hex');
  const sourceUrl = await ensureDatabase(adminUrl, `bench_source_${suffix}`);
  const targetUrl = await ensureDatabase(adminUrl, `bench_mirror_${suffix}`);
  const source = new pg.Client({ connectionString: sourceUrl });
  const target = new pg.Client({ connectionString: targetUrl });
  await Promise.all([source.connect(), target.connect()]);
  try {
    await migrateInternalDatabase(sourceUrl);
    const project = await ensureProject(sourceUrl);
    log(`Seeding ${users} users with one email each…`);
    await seedUsers(source, project.tenancyId, project.projectId, users);

    // Start each measured phase without a pending checkpoint's writes from the previous one.
    const checkpoint = () => source.query('CHECKPOINT').catch(() => undefined);
    await checkpoint();
    log('Backfill into an empty mirror…');
    // Timed from engine start (connections and table creation included) to the caught-up mirror.
    const backfillStarted = performance.now();
    const engine = await startSyncEngine({
      source: { kind: 'database', url: sourceUrl },
      targets: [{ url: targetUrl }],
    });
    const backfill = await engine.syncNow();
    const backfillSeconds = (performance.now() - backfillStarted) / 1000;
    const backfillRows = backfill.mappings.reduce((sum, m) => sum + m.rowsApplied, 0);
    const backfillRowsPerSec = backfillRows / backfillSeconds;

    await checkpoint();
    log('COPY baseline…');
    const copyRowsPerSec = await copyBaseline(source, target, project.tenancyId);

    log(`Latency: ${values.updates} single-row updates at ${values.rate}/s…`);
    const { rows: ids } = await source.query<{ id: string }>(
      `SELECT "projectUserId" AS id FROM "ProjectUser" WHERE "tenancyId" = $1 ORDER BY random() LIMIT 5000`,
      [project.tenancyId],
    );
    const latency = await measureLatency({
      sourceUrl,
      targetUrl,
      userIds: ids.map((r) => r.id),
      updates: Number(values.updates),
      ratePerSecond: Number(values.rate),
    });
    const engineLag = engine.status().targets[0]?.mappings.find((m) => m.mapping === 'users')?.lag;
    await engine.syncNow();

    // Not a target, but worth knowing: a mass update goes through the whole live path (sequencer, queue, merge).
    log('Mass update of every user (sequencer + merge path)…');
    await source.query(
      `UPDATE "ProjectUser" SET "displayName" = "displayName" || ' (edited)' WHERE "tenancyId" = $1`,
      [project.tenancyId],
    );
    // From the update's commit until every edited row is in the mirror (stamping included).
    const massStarted = performance.now();
    await engine.syncNow();
    const massSeconds = (performance.now() - massStarted) / 1000;
    const massRows = users;
    await engine.stop();

    const verification = await verifyMirror({
      sourceUrl,
      targetUrl,
      tenancyId: project.tenancyId,
      mappings: ['users', 'contact_channels'],
    });
    const sorted = [...latency.samples].sort((a, b) => a - b);
    const { rows: version } = await source.query<{ v: string }>(
      `SELECT current_setting('server_version') AS v`,
    );
    const result = {
      users,
      backfillRowsPerSec: Math.round(backfillRowsPerSec),
      copyRowsPerSec: Math.round(copyRowsPerSec),
      ratioToCopy: Math.round((backfillRowsPerSec / copyRowsPerSec) * 100) / 100,
      latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      verified: latency.missing === 0 && verification.every((v) => v.matches),
      details: {
        backfillRows,
        backfillSeconds: Math.round(backfillSeconds * 100) / 100,
        latencySamples: sorted.length,
        latencyMissing: latency.missing,
        engineLagMs: engineLag ? { p50: engineLag.p50Ms, p99: engineLag.p99Ms } : null,
        massUpdate: {
          rows: massRows,
          seconds: Math.round(massSeconds * 100) / 100,
          rowsPerSec: Math.round(massRows / massSeconds),
        },
        verification,
        machine: {
          cpus: availableParallelism(),
          cpuModel: cpus()[0]?.model ?? 'unknown',
          postgres: version[0]?.v,
          node: process.version,
        },
      },
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      log(
        `backfill ${result.backfillRowsPerSec} rows/s · COPY ${result.copyRowsPerSec} rows/s · ratio ${result.ratioToCopy}\n` +
          `latency p50 ${result.latencyMs.p50} ms · p99 ${result.latencyMs.p99} ms · peak RSS ${result.peakRssMb} MB · verified ${result.verified}`,
      );
    }
    if (!result.verified) process.exitCode = 1;
  } finally {
    await Promise.allSettled([source.end(), target.end()]);
    await dropDatabase(adminUrl, `bench_source_${suffix}`).catch(() => {});
    await dropDatabase(adminUrl, `bench_mirror_${suffix}`).catch(() => {});
    await stopServer?.();
  }
}

await main();
