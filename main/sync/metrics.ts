/** Rolling windows for the status snapshot: rows/s and change-to-mirror lag percentiles. */

export class RollingRate {
  private readonly points: { at: number; value: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  add(value: number, at = Date.now()): void {
    this.points.push({ at, value });
    this.trim(at);
  }

  perSecond(now = Date.now()): number {
    this.trim(now);
    if (this.points.length === 0) return 0;
    const total = this.points.reduce((sum, p) => sum + p.value, 0);
    const span = Math.max(1000, now - this.points[0]!.at);
    return (total * 1000) / Math.min(span, this.windowMs);
  }

  private trim(now: number): void {
    while (this.points.length > 0 && this.points[0]!.at < now - this.windowMs) this.points.shift();
  }
}

export class LagWindow {
  private samples: { at: number; ms: number }[] = [];

  constructor(
    readonly windowMs = 60_000,
    private readonly maxSamples = 10_000,
  ) {}

  add(ms: number, at = Date.now()): void {
    this.samples.push({ at, ms });
    if (this.samples.length > this.maxSamples) this.samples = this.samples.slice(-this.maxSamples);
  }

  summary(now = Date.now()): {
    p50Ms: number | null;
    p99Ms: number | null;
    samples: number;
    windowMs: number;
  } {
    this.samples = this.samples.filter((s) => s.at >= now - this.windowMs);
    const sorted = this.samples.map((s) => s.ms).sort((a, b) => a - b);
    return {
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      samples: sorted.length,
      windowMs: this.windowMs,
    };
  }
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return Math.round(sorted[rank]! * 10) / 10;
}

/**
 * When the sequencer stamped which ids, and when the change behind them became visible (the NOTIFY that woke the
 * tick, or — when polling — the previous tick, an upper bound of the lag). A page applying ids from a tick yields
 * one lag sample per (target, mapping).
 */
export class StampLog {
  private entries: { min: number; max: number; changedAt: number; table: string | null }[] = [];

  /** `table`: the one table whose rows got these ids (a statement stamped on write); null for a sequencer tick. */
  record(min: number, max: number, changedAt: number, table: string | null = null): void {
    this.entries.push({ min, max, changedAt, table });
    if (this.entries.length > 2000) this.entries = this.entries.slice(-1000);
  }

  /**
   * Change times of ticks whose ids fall in (after, upTo], for a mapping reading `tables` (its own and the
   * tombstones'): a statement on another table stamps ids that interleave with this mapping's but are not its.
   */
  changesIn(after: number, upTo: number, tables: readonly string[]): number[] {
    return this.entries
      .filter((e) => e.max > after && e.min <= upTo && (e.table === null || tables.includes(e.table)))
      .map((e) => e.changedAt);
  }

  /**
   * When the oldest change above `checkpoint` (up to `upTo`) was seen: the oldest tick that stamped ids there.
   * null when no recorded tick did (nothing waits, or it was stamped before this engine started).
   */
  oldestAbove(checkpoint: number, upTo: number): number | null {
    const entry = this.entries.find((e) => e.max > checkpoint && e.min <= upTo);
    return entry ? entry.changedAt : null;
  }
}
