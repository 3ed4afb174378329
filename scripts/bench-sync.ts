/**
 * `npm run bench:sync -- --users N [--json] [--skip-scale-out] [--skip-deferred]`: seed N users (one email each) the way a project that
 * never synced has them, then measure in one run, each against baselines taken in the same run:
 *  1. first sync: enabling sync on that project (every row unstamped and flagged) until the mirror is caught up;
 *  2. backfill rows/s into an empty mirror, and a plain COPY of the same rows as the physical baseline;
 *  3. change-to-mirror latency over single-row updates at ~100/s on an idle pipeline;
 *  4. a mass update of every user, with single-row updates interleaved and timed apart: stamped on write (the
 *     emulator's triggers), then flagged as upstream's backend writes (sequencer + merge path);
 *  5. scale-out: the same mass update handled by one, then by two sync processes sharing one source and target;
 *  6. peak RSS, per-stage timings and CPU per part of the pipeline, and mirror = source.
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
import { type SyncEngine, startSyncEngine, verifyMirror } from '../main/sync/index.js';
import { percentile } from '../main/sync/metrics.js';
import { liveRowsSql } from '../main/sync/source/fetch-sql.js';
import { inspectSource } from '../main/sync/source/inspect.js';
import { type StageTimings, timingsSince } from '../main/sync/stage-clock.js';
import { DEFER_STAMPS_SETTING } from '../shared/internal-db.js';
import { type CpuByRole, cpuByRole, cpuSince, loadAverage, machineBusySeconds } from './bench-sync/cpu.js';
import { type LatencyResult, measureLatency, prepareLatencySampler } from './bench-sync/latency.js';
import { type ScaleOutRun, scaleOutRun } from './bench-sync/scale-out.js';
import { copyBaseline, seedUsers } from './bench-sync/seed.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    updates: { type: 'string', default: '600' },
    rate: { type: 'string', default: '100' },
    'mass-rate': { type: 'string', default: '50' },
    json: { type: 'boolean', default: false },
    'skip-scale-out': { type: 'boolean', default: false },
    'skip-deferred': { type: 'boolean', default: false },
  },
});
const users = Number(values.users);
if (!Number.isInteger(users) || users < 1) {
  process.stderr.write('--users must be a positive integer\n');
  process.exit(2);
}
const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function latencySummary(result: LatencyResult) {
  const sorted = [...result.samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    samples: sorted.length,
    missing: result.missing,
  };
}

/**
 * The samples grouped by the second (after the sampler started) in which their update was made: [second, samples,
 * p50, max]. A tail then shows when it happened, to set against what else ran at that moment.
 */
function latencyBySecond(result: LatencyResult): [number, number, number | null, number][] {
  const bySecond = new Map<number, number[]>();
  result.samples.forEach((ms, i) => {
    const second = Math.floor(result.startedAfterMs[i]! / 1000);
    const group = bySecond.get(second);
    if (group) group.push(ms);
    else bySecond.set(second, [ms]);
  });
  return [...bySecond.entries()]
    .sort(([a], [b]) => a - b)
    .map(([second, samples]) => {
      const sorted = samples.sort((a, b) => a - b);
      return [second, sorted.length, percentile(sorted, 0.5), Math.round(sorted.at(-1)! * 10) / 10];
    });
}

interface PhaseCost {
  stages: StageTimings;
  cpuMs: CpuByRole;
}

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
  const names = ['source', 'first', 'mirror'].map((n) => `bench_${n}_${suffix}`);
  const [sourceUrl, firstUrl, targetUrl] = await Promise.all(names.map((n) => ensureDatabase(adminUrl!, n)));
  const source = new pg.Client({ connectionString: sourceUrl });
  const target = new pg.Client({ connectionString: targetUrl });
  const admin = new pg.Client({ connectionString: adminUrl });
  await Promise.all([source.connect(), target.connect(), admin.connect()]);
  const engines: SyncEngine[] = [];
  const loadAtStart = loadAverage();
  try {
    await migrateInternalDatabase(sourceUrl!);
    const project = await ensureProject(sourceUrl!);
    log(`Seeding ${users} users with one email each, never synced (no sequence ids, all flagged)…`);
    await seedUsers(source, project.tenancyId, project.projectId, users);
    // Start each measured phase without a pending checkpoint's writes from the previous one.
    const checkpoint = () => source.query('CHECKPOINT').catch(() => undefined);
    const cost = async <T>(engine: SyncEngine, fn: () => Promise<T>): Promise<[T, PhaseCost]> => {
      const [stages, cpu] = [engine.stageTimings(), await cpuByRole(admin)];
      const result = await fn();
      return [
        result,
        { stages: timingsSince(stages, engine.stageTimings()), cpuMs: cpuSince(cpu, await cpuByRole(admin)) },
      ];
    };

    // 1. First sync: enabling sync on the existing project, timed from engine start until the mirror is verified
    // (checked once every mapping has applied as many rows as the source holds, again after each further page
    // until it holds), and on until the engine is caught up (every row stamped, every checkpoint settled).
    // The verification hashes every row on both sides, seconds of both cores at a million users: run after every
    // page, as it was, it ran beside most of the copy it timed (and more often the larger the table).
    await checkpoint();
    log('First sync of the existing project (until the mirror verifies, then until caught up)…');
    const firstMappings = ['users', 'contact_channels'];
    const verifyFirst = () =>
      verifyMirror({
        sourceUrl: sourceUrl!,
        targetUrl: firstUrl!,
        tenancyId: project.tenancyId,
        mappings: firstMappings,
      });
    // Counted before the timer starts; nothing writes to the source during this phase.
    const sourceRows = new Map<string, number>();
    for (const mapping of (await inspectSource(source)).mappings) {
      if (!firstMappings.includes(mapping.name)) continue;
      const { rows } = await source.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (${liveRowsSql(mapping, project.tenancyId)}) AS live`,
      );
      sourceRows.set(mapping.name, rows[0]!.n);
    }
    const pagesIn = new Set<string>();
    let pageSeen = 0;
    const firstStarted = performance.now();
    const first = await startSyncEngine({
      source: { kind: 'database', url: sourceUrl! },
      targets: [{ url: firstUrl! }],
      onEvent: (event) => {
        if (event.type !== 'batch') return;
        pagesIn.add(event.mapping);
        pageSeen++;
      },
    });
    engines.push(first);
    const firstCpu = await cpuByRole(admin);
    const applied = (mapping: string) =>
      first
        .status()
        .targets.flatMap((t) => t.mappings)
        .filter((m) => m.mapping === mapping)
        .reduce((rows, m) => rows + m.rowsApplied, 0);
    const allApplied = () => firstMappings.every((m) => pagesIn.has(m) && applied(m) >= sourceRows.get(m)!);
    let firstVerification = await (async () => {
      for (;;) {
        while (!allApplied()) await new Promise((r) => setTimeout(r, 50));
        const seen = pageSeen;
        const verification = await verifyFirst();
        if (verification.every((v) => v.matches)) return verification;
        while (pageSeen === seen) await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const firstSeconds = (performance.now() - firstStarted) / 1000;
    const firstVerifyCost: PhaseCost = {
      stages: first.stageTimings(),
      cpuMs: cpuSince(firstCpu, await cpuByRole(admin)),
    };
    const firstResult = await first.syncNow();
    const firstCaughtUpSeconds = (performance.now() - firstStarted) / 1000;
    await first.stop();
    engines.pop();
    const firstRows = firstResult.mappings.reduce((sum, m) => sum + m.rowsApplied, 0);
    firstVerification = await verifyFirst();
    await source.query('VACUUM ANALYZE "ProjectUser", "ContactChannel"');

    // 2. Backfill into an empty mirror, and the COPY baseline right before it.
    await checkpoint();
    log('COPY baseline…');
    const copy = await copyBaseline(source, target, project.tenancyId);
    const copyRowsPerSec = copy.rowsPerSec;
    await checkpoint();
    log('Backfill into an empty mirror…');
    const [backfillStarted, backfillBusy] = [performance.now(), machineBusySeconds()];
    const engine = await startSyncEngine({
      source: { kind: 'database', url: sourceUrl! },
      targets: [{ url: targetUrl! }],
    });
    engines.push(engine);
    const backfillStartSeconds = (performance.now() - backfillStarted) / 1000;
    const backfill = await engine.syncNow();
    const backfillCoreSeconds = machineBusySeconds() - backfillBusy;
    const backfillStages = engine.stageTimings();
    const backfillSeconds = (performance.now() - backfillStarted) / 1000;
    const backfillRows = backfill.mappings.reduce((sum, m) => sum + m.rowsApplied, 0);
    const backfillRowsPerSec = backfillRows / backfillSeconds;

    // 3. Latency on an idle pipeline.
    log(`Latency: ${values.updates} single-row updates at ${values.rate}/s…`);
    const { rows: ids } = await source.query<{ id: string }>(
      `SELECT "projectUserId" AS id FROM "ProjectUser" WHERE "tenancyId" = $1 ORDER BY random() LIMIT 5000`,
      [project.tenancyId],
    );
    const userIds = ids.map((r) => r.id);
    const latency = await measureLatency({
      sourceUrl: sourceUrl!,
      targetUrl: targetUrl!,
      userIds,
      updates: Number(values.updates),
      ratePerSecond: Number(values.rate),
    });
    const engineLag = engine.status().targets[0]?.mappings.find((m) => m.mapping === 'users')?.lag;
    await engine.syncNow();

    // 4. Mass update, with single-row updates interleaved while it propagates: once as the emulator writes
    // (stamped on write), once as upstream's backend writes (flagged; the sequencer stamps every row).
    const massUpdate = async (label: string, deferStamps: boolean) => {
      log(`Mass update of every user (${label}), single-row updates at ${values['mass-rate']}/s meanwhile…`);
      const prepared = await prepareLatencySampler({
        sourceUrl: sourceUrl!,
        targetUrl: targetUrl!,
        userIds,
        ratePerSecond: Number(values['mass-rate']),
      });
      await checkpoint();
      const statementStarted = performance.now();
      await source.query(
        `BEGIN; ${deferStamps ? `SET LOCAL ${DEFER_STAMPS_SETTING} = on;` : ''}
         UPDATE "ProjectUser" SET "displayName" = "displayName" || ' (${label})'
         WHERE "tenancyId" = ${source.escapeLiteral(project.tenancyId)}; COMMIT`,
      );
      // From the update's commit until every edited row is in the mirror (stamping included).
      const massStarted = performance.now();
      const sampler = prepared.start();
      const [, massCost] = await cost(engine, () => engine.syncNow());
      const seconds = (performance.now() - massStarted) / 1000;
      const during = await sampler.stop();
      await engine.syncNow();
      return {
        during,
        summary: {
          rows: users,
          seconds: round(seconds),
          rowsPerSec: Math.round(users / seconds),
          /** The app's own UPDATE statement, before the timer starts. */
          statementSeconds: round((massStarted - statementStarted) / 1000),
          latencyMs: { ...latencySummary(during), bySecond: latencyBySecond(during) },
          ...massCost,
        },
      };
    };
    const onWrite = await massUpdate('edited', false);
    const deferred = values['skip-deferred'] ? null : await massUpdate('edited as upstream', true);
    const during = onWrite.during;
    await engine.stop();
    engines.pop();

    // 5. Scale-out: the same path with one, then two sync processes.
    let scaleOut: { one: ScaleOutRun; two: ScaleOutRun; ratio: number } | null = null;
    if (!values['skip-scale-out']) {
      const run = async (processes: number) => {
        await checkpoint();
        log(`Scale-out: mass update with ${processes} sync process(es)…`);
        return scaleOutRun({
          processes,
          sourceUrl: sourceUrl!,
          targetUrl: targetUrl!,
          source,
          tenancyId: project.tenancyId,
          users,
          label: `${processes} processes`,
        });
      };
      const one = await run(1);
      const two = await run(2);
      scaleOut = { one, two, ratio: round(two.rowsPerSec / one.rowsPerSec) };
    }

    const verification = await verifyMirror({
      sourceUrl: sourceUrl!,
      targetUrl: targetUrl!,
      tenancyId: project.tenancyId,
      mappings: ['users', 'contact_channels'],
    });
    const sorted = [...latency.samples].sort((a, b) => a - b);
    const duringSummary = latencySummary(during);
    const { rows: version } = await source.query<{ v: string }>(
      `SELECT current_setting('server_version') AS v`,
    );
    const result = {
      users,
      backfillRowsPerSec: Math.round(backfillRowsPerSec),
      copyRowsPerSec: Math.round(copyRowsPerSec),
      ratioToCopy: round(backfillRowsPerSec / copyRowsPerSec),
      latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) },
      latencyDuringMassUpdateMs: { p50: duringSummary.p50, p99: duringSummary.p99 },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      verified:
        latency.missing === 0 &&
        during.missing === 0 &&
        (deferred?.during.missing ?? 0) === 0 &&
        verification.every((v) => v.matches) &&
        firstVerification.every((v) => v.matches),
      details: {
        backfillRows,
        backfillSeconds: round(backfillSeconds),
        /** Of backfillSeconds: the engine's start (connections, source checks, mirror tables), before any row. */
        backfillStartSeconds: round(backfillStartSeconds),
        backfillStages,
        /**
         * CPU seconds of the whole machine (both servers, Node) during the backfill (engine start included) and
         * during the COPY baseline's streams: what each costs in all, whatever the parallelism.
         */
        backfillCoreSeconds: round(backfillCoreSeconds),
        copyCoreSeconds: round(copy.coreSeconds),
        latencySamples: sorted.length,
        latencyMissing: latency.missing,
        engineLagMs: engineLag ? { p50: engineLag.p50Ms, p99: engineLag.p99Ms } : null,
        firstSync: {
          rows: firstRows,
          users,
          seconds: round(firstSeconds),
          rowsPerSec: Math.round(firstRows / firstSeconds),
          caughtUpSeconds: round(firstCaughtUpSeconds),
          verified: firstVerification.every((v) => v.matches),
          ...firstVerifyCost,
        },
        massUpdate: onWrite.summary,
        massUpdateDeferred: deferred?.summary ?? null,
        scaleOut,
        verification,
        machine: {
          cpus: availableParallelism(),
          cpuModel: cpus()[0]?.model ?? 'unknown',
          postgres: version[0]?.v,
          node: process.version,
          loadAverage: { start: loadAtStart, end: loadAverage() },
        },
      },
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      log(
        [
          `first sync ${result.details.firstSync.rowsPerSec} rows/s · mass update ${result.details.massUpdate.rowsPerSec} rows/s (stamped on write), ${result.details.massUpdateDeferred?.rowsPerSec ?? '(skipped)'} rows/s (flagged, sequencer)`,
          `backfill ${result.backfillRowsPerSec} rows/s · COPY ${result.copyRowsPerSec} rows/s · ratio ${result.ratioToCopy}`,
          `latency p50 ${result.latencyMs.p50} ms · p99 ${result.latencyMs.p99} ms · during the mass update p50 ${duringSummary.p50} ms · p99 ${duringSummary.p99} ms`,
          scaleOut
            ? `scale-out: 1 process ${scaleOut.one.rowsPerSec} rows/s · 2 processes ${scaleOut.two.rowsPerSec} rows/s`
            : '',
          `peak RSS ${result.peakRssMb} MB · verified ${result.verified} · load average ${result.details.machine.loadAverage.end.join(' ')}`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    }
    if (!result.verified) process.exitCode = 1;
  } finally {
    await Promise.allSettled(engines.map((e) => e.stop()));
    await Promise.allSettled([source.end(), target.end(), admin.end()]);
    for (const name of names) await dropDatabase(adminUrl, name).catch(() => {});
    await stopServer?.();
  }
}

await main();
