import {
  type Attribution,
  type CheckContext,
  checkExchange,
  createFamilyTracker,
  type Exchange,
  type Finding,
  type Severity,
  worstSeverity,
} from '../../shared/checker/index.js';
import { PageSnapshots } from './page-snapshots.js';

/** Where an exchange was seen: the capture proxy, the in-page overlay, the wrapped app window, or a probe run. */
export type TrafficSource = 'proxy' | 'overlay' | 'window' | 'probe';

export interface TrafficItem {
  /** Increases by one per recorded exchange, across sources. */
  readonly seq: number;
  readonly source: TrafficSource;
  /** The page that made the request, when the capturer knows it (overlay, wrapped window). */
  readonly pageUrl: string | null;
  readonly exchange: Exchange;
  readonly attribution: Attribution;
  readonly findings: readonly Finding[];
  readonly worst: Severity | null;
}

export interface RecordInput {
  readonly source: TrafficSource;
  readonly exchange: Exchange;
  readonly pageUrl?: string | null;
  /** Already computed by the capturer (the proxy runs the async token checks itself). */
  readonly attribution?: Attribution;
  readonly findings?: readonly Finding[];
}

export type TrafficListener = (item: TrafficItem) => void;

/**
 * One project's live traffic from every capturer, newest last, bounded to `capacity` items. Exchanges that arrive
 * without findings are checked here with the shared rules engine, so every source is judged the same way.
 */
export class TrafficHub {
  private items: TrafficItem[] = [];
  private nextSeq = 1;
  private readonly listeners = new Set<TrafficListener>();
  private readonly families = createFamilyTracker();
  /** Cookie/storage snapshots of the pages the overlay and the wrapped window watch. */
  readonly pages = new PageSnapshots();

  constructor(
    private readonly context: () => CheckContext,
    private readonly capacity = 20_000,
  ) {}

  record(input: RecordInput): TrafficItem {
    const attribution = input.attribution ?? this.families.attribute(input.exchange);
    const findings = input.findings ?? checkExchange(input.exchange, this.context());
    const item: TrafficItem = {
      seq: this.nextSeq++,
      source: input.source,
      pageUrl: input.pageUrl ?? null,
      exchange: input.exchange,
      attribution,
      findings,
      worst: worstSeverity(findings),
    };
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    for (const listener of this.listeners) {
      try {
        listener(item);
      } catch {
        // A listener that went away (a closed window) must not stop the others.
      }
    }
    return item;
  }

  list(): readonly TrafficItem[] {
    return this.items;
  }

  get(seq: number): TrafficItem | undefined {
    return this.items.find((item) => item.seq === seq);
  }

  clear(): void {
    this.items = [];
  }

  subscribe(listener: TrafficListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
