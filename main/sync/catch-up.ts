import type { DatabaseSource } from './database-source.js';
import type { SyncNowResult } from './options.js';
import { scopeHeads } from './source/stats.js';

const POLL_MS = 20;
/** After every row is applied, how long to wait for the checkpoints to settle on the watermark. */
const SETTLE_MS = 5000;
/** A target that failed this many times since syncNow began is reported as failed instead of waited for. */
const GIVE_UP_AFTER_FAILURES = 3;

/**
 * Catch up: stamp everything flagged, note each (scope, mapping)'s head, queue every scope on every target and wait
 * until each target has applied every row up to those heads (caughtUp) and its checkpoints reached them (settled),
 * or it keeps failing.
 */
export async function catchUp(source: DatabaseSource, workersEnabled: boolean): Promise<SyncNowResult> {
  if (!workersEnabled) throw new Error('The workers stage is switched off; switch it on to sync.');
  const started = performance.now();
  await source.drainSequencer();
  const heads = new Map<string, Map<string, number>>();
  // Heads only (index probes from the newest end). The monitor's statistics also look for the oldest sequence id,
  // which right after a mass update walks past every dead index entry the update left behind.
  for (const scope of source.scopes) heads.set(scope, await scopeHeads(source.pool, source.mappings, scope));
  for (const runner of source.runners) {
    runner.failuresSinceMark = 0;
    for (const scope of source.scopes) runner.enqueue(scope);
  }
  source.nudge();

  const reached = (field: 'cursor' | 'checkpoint') => (runnerIndex: number) =>
    source.scopes.every(
      (scope) =>
        source.runners[runnerIndex]!.isPrepared(scope) &&
        [...(heads.get(scope) ?? [])].every(
          ([mapping, head]) => source.runners[runnerIndex]!.scopeProgress(scope).get(mapping)![field] >= head,
        ),
    );
  const failed = (i: number) => source.runners[i]!.failuresSinceMark >= GIVE_UP_AFTER_FAILURES;
  const indexes = source.runners.map((_, i) => i);
  let caughtUpAt: number | null = null;
  for (;;) {
    const done = indexes.every((i) => failed(i) || reached('checkpoint')(i));
    const applied = indexes.every((i) => failed(i) || reached('cursor')(i));
    if (applied) caughtUpAt ??= performance.now();
    if (done || (caughtUpAt !== null && performance.now() - caughtUpAt > SETTLE_MS)) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }

  // Rows applied since the previous syncNow returned (or since the engine started).
  const mappings = source.mappings.map((m) => {
    let rowsApplied = 0;
    let lastSynced = Number.POSITIVE_INFINITY;
    source.runners.forEach((runner) => {
      for (const scope of source.scopes) {
        const p = runner.scopeProgress(scope).get(m.name)!;
        const key = `${runner.spec.id}/${scope}/${m.name}`;
        rowsApplied += p.rowsApplied - (source.reportedRows.get(key) ?? 0);
        source.reportedRows.set(key, p.rowsApplied);
        lastSynced = Math.min(lastSynced, p.checkpoint);
      }
    });
    return { name: m.name, rowsApplied, lastSyncedSequenceId: Number.isFinite(lastSynced) ? lastSynced : -1 };
  });
  return {
    seconds: Math.round((performance.now() - started) / 10) / 100,
    mappings,
    targets: source.runners.map((runner, i) => ({
      id: runner.spec.id,
      caughtUp: !failed(i) && reached('cursor')(i),
      settled: !failed(i) && reached('checkpoint')(i),
      error: failed(i) ? runner.lastError : null,
    })),
  };
}
