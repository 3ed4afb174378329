/**
 * The safe watermark W: every sequence value ≤ W was handed out by a transaction that has since finished, so a
 * snapshot taken afterwards sees every committed row stamped ≤ W. The argument (docs/sync.md, "The watermark"):
 *
 * - `nextval` takes a RowExclusiveLock on the sequence and keeps it until its transaction ends; pg_locks shows it
 *   to every role (pg_stat_activity hides other roles' xact_start from non-superusers).
 * - Each observation i first samples the sequence's last value L_i (an upper bound of every value handed out so
 *   far, given CACHE 1), then lists the transactions holding such a lock (the "holders").
 * - A holder first seen at observation f was absent at observation f−1, so it took all of its values after
 *   sample f−1: they are all > L_{f−1}. Hence sample k is safe once every current holder was first seen after
 *   observation k, i.e. k ≤ f−1 for each holder; with no holder, the newest sample is safe.
 * - A holder present at the very first observation has an unknown start and blocks every sample until it ends.
 *
 * This class is the pure bookkeeping; WatermarkTracker runs the observations.
 */

interface Sample {
  readonly index: number;
  readonly value: number;
}

interface Holder {
  readonly firstSeen: number;
  readonly sinceMillis: number;
}

export interface WatermarkReading {
  readonly safe: number;
  readonly head: number;
  readonly holders: number;
  readonly oldestHolderSinceMillis: number | null;
}

export class WatermarkState {
  private index = 0;
  private safe = -1;
  private head = -1;
  private samples: Sample[] = [];
  private holders = new Map<string, Holder>();

  /** Record one observation: the sampled last value, then the holders seen after that sample. */
  record(lastValue: number, holderIds: readonly string[], nowMillis: number): WatermarkReading {
    const index = ++this.index;
    this.head = Math.max(this.head, lastValue);
    this.samples.push({ index, value: lastValue });

    const next = new Map<string, Holder>();
    for (const id of holderIds) {
      next.set(
        id,
        this.holders.get(id) ?? {
          firstSeen: index === 1 ? Number.NEGATIVE_INFINITY : index,
          sinceMillis: nowMillis,
        },
      );
    }
    this.holders = next;

    const boundaries = [...next.values()].map((h) => h.firstSeen - 1);
    const bound = Math.min(index, ...boundaries);
    const candidate = latestAtOrBefore(this.samples, bound);
    if (candidate) this.safe = Math.max(this.safe, candidate.value);
    this.prune(candidate, boundaries, index);
    return this.reading();
  }

  reading(): WatermarkReading {
    let oldest: number | null = null;
    for (const holder of this.holders.values()) {
      oldest = oldest === null ? holder.sinceMillis : Math.min(oldest, holder.sinceMillis);
    }
    return { safe: this.safe, head: this.head, holders: this.holders.size, oldestHolderSinceMillis: oldest };
  }

  /**
   * Later bounds never drop below this one (current holders keep their boundary, new ones start after `index`),
   * so only the latest sample at or before each possible bound is ever needed again: memory stays O(holders).
   */
  private prune(candidate: Sample | undefined, boundaries: readonly number[], index: number): void {
    const keep = new Set<number>([index]);
    if (candidate) keep.add(candidate.index);
    for (const boundary of boundaries) {
      const sample = latestAtOrBefore(this.samples, boundary);
      if (sample) keep.add(sample.index);
    }
    this.samples = this.samples.filter((s) => keep.has(s.index));
  }
}

function latestAtOrBefore(samples: readonly Sample[], bound: number): Sample | undefined {
  let found: Sample | undefined;
  for (const sample of samples) {
    if (sample.index > bound) break;
    found = sample;
  }
  return found;
}
