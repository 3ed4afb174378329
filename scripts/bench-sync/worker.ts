/**
 * One sync process of the scale-out phase: `node --import tsx worker.ts SOURCE_URL TARGET_URL`. It starts an engine
 * and answers one JSON line per command read from stdin: `sync` (catch up: {rows, seconds, stages}) and `stop`.
 * Several of these on one source and one target share the work through Postgres alone (SKIP LOCKED claims,
 * checkpoints in the target), which is what the phase measures.
 */
import { createInterface } from 'node:readline';
import { startSyncEngine } from '../../main/sync/index.js';
import { timingsSince } from '../../main/sync/stage-clock.js';

const [sourceUrl, targetUrl] = process.argv.slice(2);
if (!sourceUrl || !targetUrl) {
  process.stderr.write('usage: worker.ts SOURCE_URL TARGET_URL\n');
  process.exit(2);
}
const engine = await startSyncEngine({
  source: { kind: 'database', url: sourceUrl },
  targets: [{ url: targetUrl }],
});
await engine.syncNow();
const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
reply({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'sync') {
    const before = engine.stageTimings();
    const result = await engine.syncNow();
    reply({
      rows: result.mappings.reduce((sum, m) => sum + m.rowsApplied, 0),
      seconds: result.seconds,
      stages: timingsSince(before, engine.stageTimings()),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    });
  } else if (line === 'stop') break;
}
await engine.stop();
reply({ stopped: true });
