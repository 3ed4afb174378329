import { describe, expect, it } from 'vitest';
import { backfillProgress } from '../../../renderer/src/lib/backfill.js';
import { formatMs, formatRelativeSeconds } from '../../../renderer/src/lib/format.js';
import { withKeys } from '../../../renderer/src/lib/keys.js';
import { lagFigures, lagValue, lagWindowHint, waitingValue } from '../../../renderer/src/lib/lag.js';
import { SampleWindow } from '../../../renderer/src/lib/sample-window.js';
import type { SyncSample } from '../../../shared/api/workspace-schemas.js';
import type { MappingProgress, SyncStatus } from '../../../shared/sync/status.js';

const sample = (at: number, backlogRows = 0): SyncSample => ({
  at,
  rowsPerSec: 1,
  lagP50Ms: null,
  lagP99Ms: null,
  backlogRows,
  backlogIds: 0,
});

describe('the monitor chart window', () => {
  it('keeps one point per second, the latest sample of that second winning', () => {
    const window = new SampleWindow();
    expect(window.add(sample(1_000, 5))).toBe(true);
    expect(window.add(sample(1_400, 7))).toBe(false);
    expect(window.add(sample(2_100, 9))).toBe(true);
    expect(window.columns()).toMatchObject({ at: [1.4, 2.1], backlogRows: [7, 9] });
  });

  it('stays bounded however long it streams', () => {
    const window = new SampleWindow(3600);
    // Ten updates a second for two hours.
    for (let tenth = 0; tenth < 2 * 3600 * 10; tenth++) window.add(sample(tenth * 100));
    expect(window.size).toBe(3600);
    expect(Math.floor(window.columns().at[0]!)).toBe(3600);
  });

  it('breaks the lines where no sample came, instead of drawing a ramp across the silence', () => {
    const window = new SampleWindow();
    window.add({ ...sample(1_000), lagP99Ms: 200 });
    window.add({ ...sample(2_000), lagP99Ms: 200 });
    // The project was stopped for ten minutes.
    window.add({ ...sample(602_000), lagP99Ms: 150 });
    const columns = window.columns();
    expect(columns.at).toEqual([1, 2, 3, 602]);
    expect(columns.lagP99Ms).toEqual([200, 200, null, 150]);
    expect(columns.rowsPerSec).toEqual([1, 1, null, 1]);
  });

  it('puts history fetched after live samples underneath them', () => {
    const window = new SampleWindow();
    window.add(sample(10_000, 3));
    window.merge([sample(8_000, 1), sample(9_000, 2), sample(10_000, 99)]);
    expect(window.columns().backlogRows).toEqual([1, 2, 3]);
  });
});

function mapping(overrides: Partial<MappingProgress>): MappingProgress {
  return {
    mapping: 'users',
    scope: 't1',
    internalMinSequenceId: 1,
    internalMaxSequenceId: 100,
    lastSyncedSequenceId: 50,
    backlogIds: 50,
    backlogRows: 0,
    backlogRowsAtLeast: false,
    oldestWaitingMs: null,
    pendingSequencerRows: 0,
    rowsApplied: 0,
    rowsPerSec: 0,
    appliedByAnotherProcess: false,
    lag: { p50Ms: null, p99Ms: null, samples: 0, windowMs: 60_000 },
    lastError: null,
    updatedAtMillis: null,
    ...overrides,
  };
}

function status(mappingsPerTarget: MappingProgress[][], workers = true): SyncStatus {
  return {
    fusebox: { sequencer: true, poller: true, workers },
    targets: mappingsPerTarget.map((mappings, i) => ({ id: `t${i}`, mappings })),
  } as unknown as SyncStatus;
}

describe('backfill progress and ETA', () => {
  it('estimates the time left from the rows remaining and the current rate', () => {
    const progress = backfillProgress(
      status([
        [
          mapping({ rowsApplied: 60_000, backlogRows: 30_000, rowsPerSec: 20_000 }),
          mapping({
            mapping: 'contact_channels',
            rowsApplied: 20_000,
            backlogRows: 0,
            pendingSequencerRows: 10_000,
          }),
        ],
      ]),
    );
    expect(progress).toMatchObject({
      applied: 80_000,
      remaining: 40_000,
      unsequenced: 10_000,
      phase: 'running',
    });
    expect(progress.fraction).toBeCloseTo(2 / 3);
    expect(progress.etaSeconds).toBe(2);
  });

  it('never runs ahead when a backlog count stopped at its limit: the bar and the ETA use the ids span', () => {
    // 10,000 rows counted of a mass update whose ids span 990,000: at most that many wait.
    const progress = backfillProgress(
      status([
        [
          mapping({
            rowsApplied: 10_000,
            backlogRows: 10_000,
            backlogRowsAtLeast: true,
            backlogIds: 990_000,
            rowsPerSec: 30_000,
          }),
        ],
      ]),
    );
    expect(progress).toMatchObject({ remaining: 10_000, remainingAtLeast: true, phase: 'running' });
    expect(progress.fraction).toBeCloseTo(0.01);
    expect(progress.etaSeconds).toBe(33);
  });

  it('counts rows waiting for the sequencer once, however many targets mirror them', () => {
    const waiting = mapping({ pendingSequencerRows: 500 });
    const progress = backfillProgress(status([[waiting], [waiting]]));
    expect(progress.unsequenced).toBe(500);
  });

  it('says paused (no ETA) when the workers are off, and caught up when nothing remains', () => {
    expect(backfillProgress(status([[mapping({ backlogRows: 3, rowsPerSec: 100 })]], false))).toMatchObject({
      phase: 'paused',
      etaSeconds: null,
    });
    expect(backfillProgress(status([[mapping({ rowsApplied: 10 })]]))).toMatchObject({
      phase: 'caught-up',
      fraction: 1,
    });
  });
});

describe('display helpers', () => {
  it('formats durations and relative times the way the screens show them', () => {
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatMs(1400)).toBe('1.4 s');
    expect(formatMs(185_000)).toBe('3 min 5 s');
    expect(formatRelativeSeconds(240)).toBe('in 4 min');
    expect(formatMs(7_200_000)).toBe('2 h');
    expect(formatRelativeSeconds(-3)).toBe('3 s ago');
  });

  it('gives repeated list items distinct, stable keys', () => {
    expect(withKeys(['a', 'b', 'a', 'a'], (x) => x).map(([key]) => key)).toEqual(['a', 'b', 'a#1', 'a#2']);
  });
});

describe('the monitor lag figures', () => {
  it('reads "no changes" when nothing was mirrored in the window, whatever waits', () => {
    const figures = lagFigures(status([[mapping({ backlogRows: 3, oldestWaitingMs: 8_000 })]]));
    expect(lagValue(figures.p99Ms, figures.samples)).toBe('no changes');
    expect(lagWindowHint(figures)).toBe('no changes mirrored in the last 1 min');
    expect(waitingValue(figures)).toBe('8.0 s');
  });

  it('takes the worst mapping, and keeps the age of what waits apart from the lag of what landed', () => {
    const figures = lagFigures(
      status([
        [
          mapping({ lag: { p50Ms: 40, p99Ms: 208, samples: 1, windowMs: 60_000 } }),
          mapping({ mapping: 'teams', lag: { p50Ms: 20, p99Ms: 90, samples: 2, windowMs: 60_000 } }),
        ],
      ]),
    );
    expect(lagValue(figures.p99Ms, figures.samples)).toBe('208 ms');
    expect(lagWindowHint(figures)).toBe('change to mirror, 3 changes in the last 1 min');
    expect(waitingValue(figures)).toBe('nothing waits');
    expect(waitingValue(lagFigures(status([[mapping({ pendingSequencerRows: 4 })]])))).toBe('unknown');
  });
});
