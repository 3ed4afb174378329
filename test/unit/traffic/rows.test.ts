import { describe, expect, it } from 'vitest';
import { mergeTrafficRows } from '../../../renderer/src/lib/traffic-rows.js';
import type { TrafficSummary } from '../../../shared/api/workspace-schemas.js';

// The Traffic screen's list: rows from its first load and from the live feed, which can arrive in either order.
const row = (seq: number, status = 200): TrafficSummary =>
  ({ seq, status, method: 'POST', url: `/api/v1/r${seq}` }) as TrafficSummary;
const all = () => true;
const seqs = (rows: readonly TrafficSummary[]) => rows.map((r) => r.seq);

describe('traffic rows', () => {
  it('keeps the rows the first load returns when a live row arrived while it was under way', () => {
    // The live feed delivered #4 first; the load then returns #1–#4.
    const live = mergeTrafficRows({ items: [], visible: [] }, [row(4)], all, 100)!;
    const loaded = mergeTrafficRows(live, [row(1), row(2), row(3), row(4)], all, 100)!;
    expect(seqs(loaded.items)).toEqual([1, 2, 3, 4]);
    expect(seqs(loaded.visible)).toEqual([1, 2, 3, 4]);
  });

  it('replaces a listed row seen again by another capturer, and adds new ones after it', () => {
    const start = mergeTrafficRows({ items: [], visible: [] }, [row(1), row(2)], all, 100)!;
    const next = mergeTrafficRows(start, [row(2, 401), row(3)], all, 100)!;
    expect(next.items.map((r) => [r.seq, r.status])).toEqual([
      [1, 200],
      [2, 401],
      [3, 200],
    ]);
    expect(mergeTrafficRows(next, [], all, 100)).toBeNull();
  });

  it('shows only what the filter matches, and keeps at most the cap, oldest dropped first', () => {
    const failed = (r: TrafficSummary) => r.status !== 200;
    const start = mergeTrafficRows({ items: [], visible: [] }, [row(5, 500), row(6)], failed, 3)!;
    expect(seqs(start.visible)).toEqual([5]);
    const next = mergeTrafficRows(start, [row(2, 400), row(7, 404)], failed, 3)!;
    expect(seqs(next.items)).toEqual([5, 6, 7]);
    expect(seqs(next.visible)).toEqual([5, 7]);
  });
});
