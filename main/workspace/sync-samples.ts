import type { SyncSample } from '../../shared/api/workspace-schemas.js';
import type { SyncStatus } from '../../shared/sync/index.js';

const HOUR_OF_SECONDS = 3600;

/** Reduce a status snapshot to one chart point: totals over every target and mapping. */
export function sampleOf(status: SyncStatus): SyncSample {
  let rowsPerSec = 0;
  let backlogRows = 0;
  let backlogIds = 0;
  let lagP50Ms: number | null = null;
  let lagP99Ms: number | null = null;
  for (const target of status.targets) {
    for (const mapping of target.mappings) {
      rowsPerSec += mapping.rowsPerSec;
      backlogRows += mapping.backlogRows;
      backlogIds += mapping.backlogIds;
      // The worst mapping is what the user waits for.
      if (mapping.lag.p50Ms !== null) lagP50Ms = Math.max(lagP50Ms ?? 0, mapping.lag.p50Ms);
      if (mapping.lag.p99Ms !== null) lagP99Ms = Math.max(lagP99Ms ?? 0, mapping.lag.p99Ms);
    }
  }
  return { at: status.generatedAtMillis, rowsPerSec, lagP50Ms, lagP99Ms, backlogRows, backlogIds };
}

/** One sample per second for the last hour: enough for the monitor's charts after a reload. */
export class SampleHistory {
  private samples: SyncSample[] = [];
  private lastSecond = -1;

  /** Keeps the sample when it starts a new second; returns it so callers can stream it live either way. */
  add(sample: SyncSample): void {
    const second = Math.floor(sample.at / 1000);
    if (second === this.lastSecond) return;
    this.lastSecond = second;
    this.samples.push(sample);
    if (this.samples.length > HOUR_OF_SECONDS) this.samples.splice(0, this.samples.length - HOUR_OF_SECONDS);
  }

  list(): SyncSample[] {
    return [...this.samples];
  }
}
