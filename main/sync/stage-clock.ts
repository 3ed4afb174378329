/**
 * Where the engine's time goes, per stage of the pipeline: cumulative wall milliseconds, calls and rows since the
 * engine started. Diagnostics for the benchmark and for anyone asking "why is my sync slow"; not part of the status
 * schema (the numbers only make sense as differences between two readings).
 */

export const STAGES = [
  /** Sequencer: the probe for flagged rows and the stamping statements (one transaction per tick). */
  'sequencer',
  /** Lock the progress row of a (scope, mapping) on the target and read its checkpoint. */
  'lock',
  /** A fresh safe-watermark observation taken by a page. */
  'watermark',
  /** Read a page from the source into the target's staging table (COPY, or one JSON value). */
  'fetch',
  /** Pages read ahead while the previous one merged and then used (calls); ms: the wait for them to arrive. */
  'prefetch',
  /** The set-based merge of a staged page, with its checkpoint, and the commit. */
  'merge',
  /** First backfill into an empty table: COPY straight into it, checkpoint and commit. */
  'bulk',
  /** Rows named by a change notification, applied ahead of the backlog. */
  'fresh',
  /** Rows named while a page merges, applied beside it in the lane's third session (side.ts). */
  'side',
  /** Per-scope head probes before each round of pages. */
  'heads',
  /** Status statistics and the sweep. */
  'monitor',
] as const;

export type StageName = (typeof STAGES)[number];

export interface StageTotal {
  ms: number;
  calls: number;
  rows: number;
}

export type StageTimings = Record<StageName, StageTotal>;

export class StageClock {
  private readonly totals = new Map<StageName, StageTotal>(
    STAGES.map((stage) => [stage, { ms: 0, calls: 0, rows: 0 }]),
  );

  add(stage: StageName, ms: number, rows = 0): void {
    const total = this.totals.get(stage)!;
    total.ms += ms;
    total.calls += 1;
    total.rows += rows;
  }

  /** Time `fn` under `stage`; `rows` may be computed from its result. */
  async time<T>(stage: StageName, fn: () => Promise<T>, rows?: (result: T) => number): Promise<T> {
    const started = performance.now();
    const result = await fn();
    this.add(stage, performance.now() - started, rows ? rows(result) : 0);
    return result;
  }

  snapshot(): StageTimings {
    const out = {} as StageTimings;
    for (const [stage, total] of this.totals) {
      out[stage] = { ms: Math.round(total.ms * 10) / 10, calls: total.calls, rows: total.rows };
    }
    return out;
  }
}

/** What happened between two readings. */
export function timingsSince(before: StageTimings, after: StageTimings): StageTimings {
  const out = {} as StageTimings;
  for (const stage of STAGES) {
    out[stage] = {
      ms: Math.round((after[stage].ms - before[stage].ms) * 10) / 10,
      calls: after[stage].calls - before[stage].calls,
      rows: after[stage].rows - before[stage].rows,
    };
  }
  return out;
}
