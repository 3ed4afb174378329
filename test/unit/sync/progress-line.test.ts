import { describe, expect, it } from 'vitest';
import { progressLine, summarize } from '../../../main/cli/commands/sync-progress.js';
import { type MappingProgress, MappingProgressSchema, type SyncStatus } from '../../../shared/sync/status.js';

function statusWith(
  backlog: Pick<MappingProgress, 'backlogRows' | 'backlogRowsAtLeast' | 'backlogIds'> &
    Partial<MappingProgress>,
): SyncStatus {
  const mapping = {
    mapping: 'users',
    scope: 't1',
    rowsApplied: 5_000,
    rowsPerSec: 10_000,
    lag: { p50Ms: null, p99Ms: null, samples: 0, windowMs: 60_000 },
    ...backlog,
  };
  return {
    source: { lastError: null },
    targets: [{ id: 'mirror', state: 'ok', lastError: null, mappings: [mapping] }],
  } as unknown as SyncStatus;
}

// `hexclave-companion sync` prints one such line a second while it runs.
describe('the sync progress line', () => {
  it('gives the backlog and its ETA as counted when the count is exact', () => {
    const [summary] = summarize(
      statusWith({ backlogRows: 25_000, backlogRowsAtLeast: false, backlogIds: 40_000 }),
    );
    expect(progressLine(summary!)).toContain('backlog 25,000 rows (ETA 3s)');
  });

  it('says "at least" and bounds the ETA by the ids span when the count stopped at its limit', () => {
    const [summary] = summarize(
      statusWith({ backlogRows: 10_000, backlogRowsAtLeast: true, backlogIds: 995_000 }),
    );
    expect(progressLine(summary!)).toContain('backlog at least 10,000 rows (ETA at most 100s)');
  });

  it('says when another sync process applies the pages this one only follows', () => {
    const backlog = { backlogRows: 8_000, backlogRowsAtLeast: false, backlogIds: 8_000, rowsPerSec: 0 };
    const [watching] = summarize(statusWith({ ...backlog, appliedByAnotherProcess: true }));
    expect(progressLine(watching!)).toContain('0 rows/s (another sync process is applying pages here)');
    const [alone] = summarize(statusWith(backlog));
    expect(progressLine(alone!)).not.toContain('another sync process');
  });
});

// The MCP server's sync_status reads the snapshot file the app publishes; one written before the bound existed
// still parses, as the exact count it was.
describe('a status snapshot from an earlier version', () => {
  it('reads its backlog as exact', () => {
    const earlier = {
      mapping: 'users',
      scope: 't1',
      internalMinSequenceId: 1,
      internalMaxSequenceId: 9,
      lastSyncedSequenceId: 4,
      backlogIds: 5,
      backlogRows: 5,
      oldestWaitingMs: null,
      pendingSequencerRows: 0,
      rowsApplied: 4,
      rowsPerSec: 0,
      lag: { p50Ms: null, p99Ms: null, samples: 0, windowMs: 60_000 },
      lastError: null,
      updatedAtMillis: null,
    };
    expect(MappingProgressSchema.parse(earlier)).toMatchObject({
      backlogRows: 5,
      backlogRowsAtLeast: false,
      appliedByAnotherProcess: false,
    });
  });
});
