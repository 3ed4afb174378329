import { describe, expect, it } from 'vitest';
import { backlogNow, type ScopeMappingStats } from '../../../main/sync/source/stats.js';

// The backlog is counted above each target's checkpoint as it stood when the count began; the status pairs the count
// with the checkpoint as it stands when the status is read. A page committed in between must not leave rows on
// screen that are already in the mirror (a status poll saw "1 row waiting, 0 ids" that way).
const counted = (over: Partial<ScopeMappingStats> = {}): ScopeMappingStats => ({
  min: 1,
  max: 120,
  pendingSequencer: 0,
  backlogRows: [3, 12_000],
  backlogRowsAtLeast: [false, true],
  ...over,
});

describe('the backlog shown beside a checkpoint', () => {
  it('is the count while the checkpoint is below the highest id counted', () => {
    expect(backlogNow(counted(), 0, 100)).toEqual({ rows: 3, atLeast: false });
    expect(backlogNow(counted(), 1, 7)).toEqual({ rows: 12_000, atLeast: true });
  });

  it('is empty once the checkpoint reached the highest id counted, whatever the count said', () => {
    expect(backlogNow(counted(), 0, 120)).toEqual({ rows: 0, atLeast: false });
    expect(backlogNow(counted(), 1, 121)).toEqual({ rows: 0, atLeast: false });
  });

  it('is empty with no count yet or no stamped row', () => {
    expect(backlogNow(undefined, 0, -1)).toEqual({ rows: 0, atLeast: false });
    expect(backlogNow(counted({ max: null, backlogRows: [0] }), 0, -1)).toEqual({ rows: 0, atLeast: false });
  });
});
