import type { BrowserSnapshot, Finding } from '../../shared/checker/index.js';
import type { TrafficSource } from './types.js';

/** The latest cookie/storage snapshot of one page origin, as the overlay or the wrapped window saw it. */
export interface PageSnapshotItem {
  readonly source: TrafficSource;
  readonly pageUrl: string;
  /** Values redacted by the capturer. */
  readonly snapshot: BrowserSnapshot;
  readonly findings: readonly Finding[];
  readonly at: number;
}

const KEPT_ORIGINS = 50;

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** One snapshot per page origin (a cookie jar is per origin), newest kept, oldest origin dropped past 50. */
export class PageSnapshots {
  private readonly byOrigin = new Map<string, PageSnapshotItem>();
  private readonly listeners = new Set<(item: PageSnapshotItem) => void>();

  record(input: Omit<PageSnapshotItem, 'at'>): PageSnapshotItem {
    const item = { ...input, at: Date.now() };
    const origin = originOf(input.pageUrl);
    this.byOrigin.delete(origin);
    this.byOrigin.set(origin, item);
    if (this.byOrigin.size > KEPT_ORIGINS) this.byOrigin.delete(this.byOrigin.keys().next().value!);
    for (const listener of this.listeners) {
      try {
        listener(item);
      } catch {
        // one failing listener must not stop the others
      }
    }
    return item;
  }

  clear(): void {
    this.byOrigin.clear();
  }

  list(): PageSnapshotItem[] {
    return [...this.byOrigin.values()];
  }

  get(pageUrl: string): PageSnapshotItem | undefined {
    return this.byOrigin.get(originOf(pageUrl));
  }

  subscribe(listener: (item: PageSnapshotItem) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
