import type { TrafficSummary } from '../../../shared/api/workspace-schemas.js';

/** Whether a row with this seq is in `items` (kept in seq order). */
function hasSeq(items: readonly TrafficSummary[], seq: number): boolean {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = items[mid]!.seq;
    if (at === seq) return true;
    if (at < seq) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

/**
 * Where a batch of rows lands in the list (kept in capture order, at most `cap` rows): a row whose seq is listed
 * replaces it (another capturer saw the same request), any other is added in seq order — also one older than the
 * newest listed, which is what the first load returns when a live row arrived while it was under way. Within the
 * batch the latest version of a row wins. Null when nothing changes.
 */
export function mergeTrafficRows(
  current: { items: readonly TrafficSummary[]; visible: readonly TrafficSummary[] },
  batch: readonly TrafficSummary[],
  matches: (item: TrafficSummary) => boolean,
  cap: number,
): { items: TrafficSummary[]; visible: TrafficSummary[] } | null {
  const bySeq = new Map<number, TrafficSummary>();
  for (const item of batch) bySeq.set(item.seq, item);
  const updates = new Map<number, TrafficSummary>();
  const fresh: TrafficSummary[] = [];
  for (const item of bySeq.values()) {
    if (hasSeq(current.items, item.seq)) updates.set(item.seq, item);
    else fresh.push(item);
  }
  if (fresh.length === 0 && updates.size === 0) return null;
  fresh.sort((a, b) => a.seq - b.seq);
  let items =
    updates.size > 0 ? current.items.map((item) => updates.get(item.seq) ?? item) : [...current.items];
  let visible = updates.size > 0 ? items.filter(matches) : [...current.visible];
  const lastSeq = current.items.at(-1)?.seq ?? 0;
  if (fresh.length > 0 && fresh[0]!.seq < lastSeq) {
    items = items.concat(fresh).sort((a, b) => a.seq - b.seq);
    visible = items.filter(matches);
  } else {
    items = items.concat(fresh);
    visible = visible.concat(fresh.filter(matches));
  }
  if (items.length > cap) {
    items = items.slice(items.length - cap);
    const oldest = items[0]!.seq;
    visible = visible.filter((i) => i.seq >= oldest);
  }
  return { items, visible };
}
