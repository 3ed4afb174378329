/**
 * Wall time of the full `check` matrix against a local emulator (dual and legacy), as `wallMs` reports it.
 * Run: npx tsx scripts/bench-check.ts [runs]   (uses an ephemeral embedded Postgres unless DATABASE_URL is set)
 */

import { runCheck } from '../main/checker/index.js';
import { startEmulator } from '../main/emulator/index.js';

const runs = Number(process.argv[2] ?? 5);

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `min ${sorted[0]} ms · median ${median} ms · max ${sorted.at(-1)} ms`;
}

for (const compat of ['dual', 'legacy'] as const) {
  const emulator = await startEmulator({
    compat,
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { ephemeral: true }),
  });
  try {
    const walls: number[] = [];
    let last = '';
    for (let i = 0; i < runs; i++) {
      const { report } = await runCheck({
        apiUrl: emulator.apiUrl,
        projectId: emulator.projectId,
        publishableClientKey: emulator.publishableClientKey,
        secretServerKey: emulator.secretServerKey,
      });
      walls.push(report.wallMs);
      const requests = report.scenarios.reduce((n, s) => n + s.exchangeIds.length, 0);
      last = `class ${report.backendClass}, ${requests} requests, ${report.counts.error} error finding(s)`;
    }
    console.log(`${compat.padEnd(6)} ${runs} run(s): ${stats(walls)} (${last}); first run ${walls[0]} ms`);
  } finally {
    await emulator.stop();
  }
}
