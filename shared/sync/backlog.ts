import type { MappingProgress } from './status.js';

/**
 * How many rows one backlog count walks at most, live rows and tombstones each. Counting every row above a
 * checkpoint costs about a microsecond per row right after a mass update (each index entry checked against the
 * heap): over a second of a core at a million users, taken from the sync just as the backlog starts. Past this
 * many a backlog is reported as "at least" (MappingProgress.backlogRowsAtLeast), bounded from above by its
 * sequence-id span.
 */
export const BACKLOG_COUNT_LIMIT = 10_000;

/**
 * Rows waiting above the checkpoints of some mappings, summed. A mapping whose count stopped at its limit
 * (`backlogRowsAtLeast`) adds its counted rows to `rows` and its sequence-id span to `atMost`: each waiting row has
 * an id of its own in that span, so no more can wait.
 */
export interface BacklogTotal {
  /** Rows counted: exactly what waits unless `atLeast`, otherwise a lower bound. */
  readonly rows: number;
  readonly atLeast: boolean;
  /** Upper bound of what waits; equal to `rows` unless `atLeast`. */
  readonly atMost: number;
}

type BacklogFigures = Pick<MappingProgress, 'backlogRows' | 'backlogRowsAtLeast' | 'backlogIds'>;

export function backlogTotal(mappings: Iterable<BacklogFigures>): BacklogTotal {
  let rows = 0;
  let atLeast = false;
  let atMost = 0;
  for (const m of mappings) {
    rows += m.backlogRows;
    atLeast ||= m.backlogRowsAtLeast;
    atMost += m.backlogRowsAtLeast ? Math.max(m.backlogRows, m.backlogIds) : m.backlogRows;
  }
  return { rows, atLeast, atMost };
}
