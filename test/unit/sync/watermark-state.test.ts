import { describe, expect, it } from 'vitest';
import { WatermarkState } from '../../../main/sync/source/watermark-state.js';

describe('safe watermark bookkeeping', () => {
  it('is the newest sample when nobody holds sequence ids', () => {
    const state = new WatermarkState();
    expect(state.record(100, [], 0).safe).toBe(100);
    expect(state.record(133, [], 1).safe).toBe(133);
  });

  it('stays at -1 while a holder seen at the first observation is open (its start is unknown)', () => {
    const state = new WatermarkState();
    expect(state.record(100, ['3/7'], 0).safe).toBe(-1);
    expect(state.record(200, ['3/7'], 1).safe).toBe(-1);
    expect(state.record(300, [], 2).safe).toBe(300);
  });

  it('holds at the last sample taken before a new holder appeared, until it ends', () => {
    const state = new WatermarkState();
    state.record(100, [], 0); // observation 1
    state.record(111, [], 1); // observation 2: safe 111
    // Observation 3 sees holder A for the first time: it took its ids after sample 2, so 111 is still safe,
    // but sample 3 (155) may include A's id.
    expect(state.record(155, ['A'], 2)).toMatchObject({ safe: 111, head: 155, holders: 1 });
    expect(state.record(199, ['A'], 3).safe).toBe(111);
    // B appears later; A still bounds the watermark.
    expect(state.record(210, ['A', 'B'], 4).safe).toBe(111);
    // A ends: B was first seen at observation 5, so sample 4 (199) is safe.
    expect(state.record(250, ['B'], 5).safe).toBe(199);
    expect(state.record(260, [], 6).safe).toBe(260);
  });

  it('never moves backwards and keeps memory proportional to the holders', () => {
    const state = new WatermarkState();
    state.record(10, [], 0);
    state.record(20, ['A'], 1);
    for (let i = 0; i < 10_000; i++) state.record(30 + i, ['A'], i + 2);
    expect(state.reading()).toMatchObject({ safe: 10, holders: 1, oldestHolderSinceMillis: 1 });
    // biome-ignore lint/suspicious/noExplicitAny: peeking at private state to prove pruning
    expect((state as any).samples.length).toBeLessThanOrEqual(3);
    expect(state.record(10_100, [], 20_000).safe).toBe(10_100);
  });
});
