import type { SyncStage } from '../../shared/sync/index.js';

/** Upstream's fusebox (sequencer, poller) plus our workers switch; each stage pauses without exiting. */
export class Fusebox {
  sequencer: boolean;
  poller: boolean;
  workers: boolean;

  constructor(initial: Partial<Record<SyncStage, boolean>> = {}) {
    this.sequencer = initial.sequencer ?? true;
    this.poller = initial.poller ?? true;
    this.workers = initial.workers ?? true;
  }

  set(stage: SyncStage, enabled: boolean): boolean {
    const changed = this[stage] !== enabled;
    this[stage] = enabled;
    return changed;
  }

  snapshot(): Record<SyncStage, boolean> {
    return { sequencer: this.sequencer, poller: this.poller, workers: this.workers };
  }
}
