import type { SequencedTable } from '../../../shared/sync/index.js';
import { isUuid } from '../pg.js';

/** What one notification on the change channel says (see the emulator's migration 0005). */
export interface ChangeNotice {
  readonly tenancyId: string;
  /** The sequence ids the statement stamped for the tenancy, lowest and highest (null when it only flagged rows). */
  readonly sequenceIds: readonly [number, number] | null;
  /** The sequenced table the statement wrote, when the notice names one. */
  readonly table: string | null;
  /** Rows the statement flagged, when it flagged only a handful: table, key columns, one value list per row. */
  readonly rows: {
    readonly table: string;
    readonly columns: readonly string[];
    readonly keys: readonly (readonly string[])[];
  } | null;
}

/**
 * Parse a payload: a bare tenancy id, or {"t", "r", "s", "c", "k"} (migrations 0005 and 0010). Anything else (another writer on the channel, an
 * older or newer emulator) is ignored; the notification still wakes the pipeline. Key columns must be the sequenced
 * table's own primary-key columns and every value a uuid: they end up in SQL as quoted identifiers and parameters.
 */
export function parseChangeNotice(
  payload: string | undefined,
  tables: readonly SequencedTable[],
): ChangeNotice | null {
  if (!payload) return null;
  if (isUuid(payload))
    return { tenancyId: payload.toLowerCase(), sequenceIds: null, table: null, rows: null };
  if (!payload.startsWith('{')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  const { t, r, s, c, k } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof t !== 'string' || !isUuid(t)) return null;
  const sequenceIds =
    Array.isArray(s) && s.length === 2 && s.every((id) => Number.isSafeInteger(id) && id >= 0) && s[0] <= s[1]
      ? ([s[0], s[1]] as const)
      : null;
  const table = tables.find((candidate) => candidate.table === r);
  const columns = Array.isArray(c) ? c : [];
  const valid =
    table !== undefined &&
    columns.length > 0 &&
    columns.every((column) => typeof column === 'string' && table.primaryKey.includes(column)) &&
    Array.isArray(k) &&
    k.every(
      (row) =>
        Array.isArray(row) &&
        row.length === columns.length &&
        row.every((value) => typeof value === 'string' && isUuid(value)),
    );
  const tenancyId = t.toLowerCase();
  const tableName = table?.table ?? null;
  if (!valid) return { tenancyId, sequenceIds, table: tableName, rows: null };
  return {
    tenancyId,
    sequenceIds,
    table: tableName,
    rows: { table: table.table, columns: columns as string[], keys: k as string[][] },
  };
}
