import { MIRROR_OUTPUT_LIMITS, type OutputLimits } from '../../shared/mirror-limits.js';
import { capDeep, capString } from '../../shared/output-caps.js';
import type { JsonValue } from './query.js';

export { truncationMark } from '../../shared/output-caps.js';
export type { OutputLimits };

/** The caps every mirror read applies unless told otherwise (tests pass smaller ones). Whatever is cut says so in
 * place: "… [truncated, N bytes]" with the full size. */
export const DEFAULT_OUTPUT_LIMITS: OutputLimits = MIRROR_OUTPUT_LIMITS;

/**
 * A cell within `cellBytes`: a long string keeps its start and gets the mark; a JSON value too large becomes its JSON
 * text, cut the same way (a half object would not parse anyway).
 */
export function capCell(value: JsonValue, cellBytes: number): { value: JsonValue; truncated: boolean } {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return { value, truncated: false };
  }
  const capped = capString(typeof value === 'string' ? value : JSON.stringify(value), cellBytes);
  return capped.truncated ? { value: capped.text, truncated: true } : { value, truncated: false };
}

/** Every string inside `value` capped to `cellBytes`, shape unchanged (for nested documents such as an EXPLAIN plan). */
export function capStringsDeep(value: JsonValue, cellBytes: number): { value: JsonValue; truncated: number } {
  return capDeep(value, cellBytes, false);
}

function jsonBytes(value: JsonValue): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
}

/**
 * Collects rows up to a byte budget: each row's cells are capped, then the row is kept only while the running
 * total of the rows' JSON stays within `resultBytes` (the first row always fits once its cells are capped).
 */
export class RowBudget {
  readonly rows: JsonValue[][] = [];
  truncatedCells = 0;
  /** Set once a row did not fit: every later row is left out. */
  full = false;
  private bytes = 2;

  constructor(readonly limits: OutputLimits) {}

  /** Adds the row if it fits; false once the budget is spent. */
  add(row: readonly JsonValue[]): boolean {
    if (this.full) return false;
    let capped = row.map((cell) => capCell(cell, this.limits.cellBytes));
    let size = jsonBytes(capped.map((c) => c.value)) + 1;
    if (this.rows.length === 0 && size > this.limits.resultBytes) {
      // A row so wide that even capped cells overflow: share the result's bytes among its cells.
      const share = Math.max(64, Math.floor(this.limits.resultBytes / Math.max(1, row.length)) - 16);
      capped = row.map((cell) => capCell(cell, share));
      size = jsonBytes(capped.map((c) => c.value)) + 1;
    }
    if (this.rows.length > 0 && this.bytes + size > this.limits.resultBytes) {
      this.full = true;
      return false;
    }
    this.bytes += size;
    this.truncatedCells += capped.filter((c) => c.truncated).length;
    this.rows.push(capped.map((c) => c.value));
    return true;
  }

  get usedBytes(): number {
    return this.bytes;
  }
}
