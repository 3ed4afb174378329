import {
  type Attribution,
  type CheckContext,
  checkExchange,
  checkRedactedSignatures,
  createFamilyTracker,
  dedupeFindings,
  type Exchange,
  type Finding,
} from '../../shared/checker/index.js';
import { PageSnapshots } from './page-snapshots.js';
import { findRowOf, rowOf } from './sightings.js';
import type { Sighting, TrafficItem, TrafficSource } from './types.js';

export type { Sighting, TrafficItem, TrafficSource } from './types.js';

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

/** A row costs what each of its sightings holds (the merged findings are the sightings' own). */
function rowBytes(item: TrafficItem): number {
  return item.sightings.reduce((sum, s) => sum + itemBytes(s.exchange, s.findings), 0);
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

  /**
   * Add what a capturer saw. A request another capturer already reported joins that row (same seq, listeners
   * called again with the merged row); otherwise it becomes a new row.
   */
  record(input: RecordInput): TrafficItem {
    const attribution = input.attribution ?? this.families.attribute(input.exchange);
    const checked = input.findings ?? checkExchange(input.exchange, this.context());
    // A signature the capturer removed (the page's reports) is "not checked", never silently absent.
    const findings = dedupeFindings([...checked, ...checkRedactedSignatures(input.exchange)]);
    const sighting: Sighting = {
      source: input.source,
      exchange: input.exchange,
      pageUrl: input.pageUrl ?? null,
      attribution,
      findings,
    };
    const row = findRowOf(this.items, sighting);
    if (row !== -1)
      return this.replace(row, rowOf(this.items[row]!.seq, [...this.items[row]!.sightings, sighting]));
    const item = rowOf(this.nextSeq++, [sighting]);
    this.items.push(item);
    const size = rowBytes(item);
    this.sizes.set(item.seq, size);
    this.bytes += size;
    this.evict();
    this.notify(item);
    return item;
  }

  /** A second sighting joined a row: it holds both exchanges now, and the byte budget counts both. */
  private replace(index: number, item: TrafficItem): TrafficItem {
    this.items[index] = item;
    const size = rowBytes(item);
    this.bytes += size - (this.sizes.get(item.seq) ?? 0);
    this.sizes.set(item.seq, size);
    this.evict();
    this.notify(item);
    return item;
  }

  private notify(item: TrafficItem): void {
    for (const listener of this.listeners) {
      try {
        listener(item);
      } catch {
        // A listener that went away (a closed window) must not stop the others.
      }
    }
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
