import type { SyncSample } from '../../../shared/api/workspace-schemas.js';

/** uPlot's column layout: timestamps in seconds, then one array per series. */
export interface ChartColumns {
  readonly at: number[];
  readonly rowsPerSec: (number | null)[];
  readonly lagP50Ms: (number | null)[];
  readonly lagP99Ms: (number | null)[];
  readonly backlogRows: (number | null)[];
  readonly backlogIds: (number | null)[];
}

export const HOUR_OF_SECONDS = 3600;

/**
 * Samples come once a second while the project runs; a longer silence (the project was stopped, the app was
 * closed) is a gap, drawn as one, never as a line across time nobody measured.
 */
export const GAP_MS = 3000;

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

  /** uPlot columns; a null point one second after the last sample before each gap breaks the lines there. */
  columns(): ChartColumns {
    const columns: ChartColumns = {
      at: [],
      rowsPerSec: [],
      lagP50Ms: [],
      lagP99Ms: [],
      backlogRows: [],
      backlogIds: [],
    };
    let previous: SyncSample | null = null;
    for (const s of this.samples) {
      if (previous && s.at - previous.at > GAP_MS) {
        columns.at.push(previous.at / 1000 + 1);
        columns.rowsPerSec.push(null);
        columns.lagP50Ms.push(null);
        columns.lagP99Ms.push(null);
        columns.backlogRows.push(null);
        columns.backlogIds.push(null);
      }
      columns.at.push(s.at / 1000);
      columns.rowsPerSec.push(s.rowsPerSec);
      columns.lagP50Ms.push(s.lagP50Ms);
      columns.lagP99Ms.push(s.lagP99Ms);
      columns.backlogRows.push(s.backlogRows);
      columns.backlogIds.push(s.backlogIds);
      previous = s;
    }
    return columns;
  }
}
