import type { SyncSample } from '../../../shared/api/workspace-schemas.js';

/** uPlot's column layout: timestamps in seconds, then one array per series. */
export interface ChartColumns {
  readonly at: number[];
  readonly rowsPerSec: number[];
  readonly lagP50Ms: (number | null)[];
  readonly lagP99Ms: (number | null)[];
  readonly backlogRows: number[];
}

export const HOUR_OF_SECONDS = 3600;

/**
 * The monitor's chart history: one point per second (a later sample in the same second replaces the earlier,
 * so the newest point is always live), at most `capacity` points. Bounded, so an hour of 10 updates a second
 * redraws the same few thousand points instead of a growing pile.
 */
export class SampleWindow {
  private samples: SyncSample[] = [];

  constructor(private readonly capacity = HOUR_OF_SECONDS) {}

  reset(samples: readonly SyncSample[]): void {
    this.samples = [];
    for (const sample of samples) this.add(sample);
  }

  /** Put history under the live samples that arrived while it was being fetched. */
  merge(history: readonly SyncSample[]): void {
    const live = this.samples;
    this.reset(history);
    for (const sample of live) this.add(sample);
  }

  /** Returns true when the sample started a new point (false when it replaced the current second's). */
  add(sample: SyncSample): boolean {
    const last = this.samples.at(-1);
    if (last && Math.floor(last.at / 1000) === Math.floor(sample.at / 1000)) {
      this.samples[this.samples.length - 1] = sample;
      return false;
    }
    if (last && sample.at < last.at) return false;
    this.samples.push(sample);
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
    return true;
  }

  get size(): number {
    return this.samples.length;
  }

  columns(): ChartColumns {
    const { samples } = this;
    return {
      at: samples.map((s) => s.at / 1000),
      rowsPerSec: samples.map((s) => s.rowsPerSec),
      lagP50Ms: samples.map((s) => s.lagP50Ms),
      lagP99Ms: samples.map((s) => s.lagP99Ms),
      backlogRows: samples.map((s) => s.backlogRows),
    };
  }
}
