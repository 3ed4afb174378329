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

/** Bytes a hub may hold by default: the newest exchanges are kept within it, the oldest dropped first. */
export const DEFAULT_TRAFFIC_BYTES = 64 * 1024 * 1024;
/** Arrays, objects and the item record itself, beyond their strings. */
const ITEM_OVERHEAD_BYTES = 1024;

/** What an item costs in memory, roughly: its strings at two bytes per UTF-16 unit, plus a fixed overhead. */
export function itemBytes(exchange: Exchange, findings: readonly Finding[]): number {
  let units = exchange.id.length + exchange.request.method.length + exchange.request.url.length;
  units += (exchange.request.body?.length ?? 0) + (exchange.response?.body?.length ?? 0);
  units += (exchange.error?.length ?? 0) + (exchange.cookieHeader?.length ?? 0);
  for (const headers of [exchange.request.headers, exchange.response?.headers ?? []])
    for (const [name, value] of headers) units += name.length + value.length + 16;
  for (const line of exchange.setCookies ?? []) units += line.length;
  for (const finding of findings) units += JSON.stringify(finding).length;
  return 2 * units + ITEM_OVERHEAD_BYTES;
}

/**
 * One project's live traffic from every capturer, newest last, bounded to `capacity` items and `maxBytes` bytes
 * (whichever is reached first). Exchanges that arrive without findings are checked here with the shared rules
 * engine, so every source is judged the same way.
 */
export class TrafficHub {
  private items: TrafficItem[] = [];
  private sizes = new Map<number, number>();
  private bytes = 0;
  private nextSeq = 1;
  private readonly listeners = new Set<TrafficListener>();
  private readonly families = createFamilyTracker();
  /** Cookie/storage snapshots of the pages the overlay and the wrapped window watch. */
  readonly pages = new PageSnapshots();

  constructor(
    private readonly context: () => CheckContext,
    private readonly capacity = 20_000,
    private readonly maxBytes = DEFAULT_TRAFFIC_BYTES,
  ) {}

  /** How much the hub holds now: items and their estimated bytes (see `itemBytes`), and the byte limit. */
  stats(): { items: number; bytes: number; maxBytes: number } {
    return { items: this.items.length, bytes: this.bytes, maxBytes: this.maxBytes };
  }

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
    const size = itemBytes(item.exchange, item.findings);
    this.sizes.set(item.seq, size);
    this.bytes += size;
    this.evict();
    for (const listener of this.listeners) {
      try {
        listener(item);
      } catch {
        // A listener that went away (a closed window) must not stop the others.
      }
    }
    return item;
  }

  /** Oldest first, until within both limits; the newest item stays even when it alone is over the byte limit. */
  private evict(): void {
    let drop = Math.max(0, this.items.length - this.capacity);
    let bytes = this.bytes;
    for (let i = 0; i < drop; i++) bytes -= this.sizes.get(this.items[i]!.seq) ?? 0;
    while (bytes > this.maxBytes && drop < this.items.length - 1) {
      bytes -= this.sizes.get(this.items[drop]!.seq) ?? 0;
      drop++;
    }
    if (drop === 0) return;
    for (const item of this.items.splice(0, drop)) this.sizes.delete(item.seq);
    this.bytes = bytes;
  }

  list(): readonly TrafficItem[] {
    return this.items;
  }

  get(seq: number): TrafficItem | undefined {
    return this.items.find((item) => item.seq === seq);
  }

  /** Forget every exchange and page snapshot: nothing of them stays referenced. */
  clear(): void {
    this.items = [];
    this.sizes = new Map();
    this.bytes = 0;
    this.pages.clear();
  }

  subscribe(listener: TrafficListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
