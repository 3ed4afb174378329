import { describe, expect, it } from 'vitest';
import { nextPageRows } from '../../../main/sync/target/applier.js';

// A change named during a backlog waits for the page in progress: pages are sized from how fast the last one went
// so that one takes about 25 ms, with at least 1,000 rows while rows cost what they usually do.
describe('the size of the next backlog page', () => {
  it('follows the measured speed, within the configured page size', () => {
    expect(nextPageRows(2000, 20, 50_000)).toBe(2500);
    expect(nextPageRows(2000, 1, 50_000)).toBe(50_000);
    expect(nextPageRows(2000, 1, 3000)).toBe(3000);
  });

  it('keeps 1,000 rows while a 1,000-row page takes up to twice the target', () => {
    expect(nextPageRows(1000, 40, 50_000)).toBe(1000);
    expect(nextPageRows(1000, 50, 50_000)).toBe(1000);
  });

  it('shrinks below 1,000 rows only while rows are several times dearer (cold caches), and grows back at once', () => {
    // 1,000 rows in 320 ms, as right after an app's own mass update at a million users.
    expect(nextPageRows(1000, 320, 50_000)).toBe(100);
    expect(nextPageRows(100, 40, 50_000)).toBe(100);
    expect(nextPageRows(200, 20, 50_000)).toBe(250);
    // The same small page fast again: back to the usual floor, not 25 ms worth of rows at most.
    expect(nextPageRows(100, 4, 50_000)).toBe(1000);
  });

  it('never exceeds a configured page size smaller than the floors', () => {
    expect(nextPageRows(50, 500, 50)).toBe(50);
    expect(nextPageRows(50, 1, 50)).toBe(50);
  });
});
