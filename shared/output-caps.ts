/**
 * Byte caps on what an MCP tool returns, so no answer floods an editor's context: one string (a cell, a claim, an
 * env value) and the whole list a tool returns. Whatever is cut says so where it was cut, with the full size:
 * "… [truncated, N bytes]". The mirror readers (main/mirror) build their row budgets on the same functions.
 */

export interface ToolOutputLimits {
  /** Largest single string, in UTF-8 bytes. */
  readonly cellBytes: number;
  /** Largest list of items, in bytes of its JSON text; items past it are left out (and counted). */
  readonly totalBytes: number;
}

/** Defaults for every tool: a few screens of JSON at most. */
export const TOOL_OUTPUT_LIMITS: ToolOutputLimits = { cellBytes: 2048, totalBytes: 48 * 1024 };

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).length;

export function truncationMark(totalBytes: number): string {
  return `… [truncated, ${totalBytes} bytes]`;
}

/** The longest prefix of `text` within `maxBytes` of UTF-8, never splitting a character. */
function utf8Prefix(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** A string within `cellBytes`: a longer one keeps its start and ends with the truncation mark. */
export function capString(
  text: string,
  cellBytes = TOOL_OUTPUT_LIMITS.cellBytes,
): { text: string; truncated: boolean } {
  const total = byteLength(text);
  if (total <= cellBytes) return { text, truncated: false };
  const mark = truncationMark(total);
  return { text: `${utf8Prefix(text, Math.max(0, cellBytes - byteLength(mark)))}${mark}`, truncated: true };
}

/**
 * Every string inside a JSON-like value capped to `cellBytes`. With `collapse` (for free-form JSON such as user
 * metadata or token claims), a nested object or array whose JSON is larger than `cellBytes` several times over is
 * replaced by its capped JSON text — it could not be read whole anyway. Without it the shape never changes.
 */
export function capDeep<T>(
  value: T,
  cellBytes = TOOL_OUTPUT_LIMITS.cellBytes,
  collapse = true,
): { value: T; truncated: number } {
  let truncated = 0;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const capped = capString(v, cellBytes);
      if (capped.truncated) truncated++;
      return capped.text;
    }
    if (v === null || typeof v !== 'object') return v;
    if (collapse && depth > 0) {
      const json = JSON.stringify(v) ?? 'null';
      if (byteLength(json) > cellBytes * 4) {
        truncated++;
        return capString(json, cellBytes).text;
      }
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner, depth + 1)]));
  };
  return { value: walk(value, 0) as T, truncated };
}

export interface CappedList<T> {
  readonly items: T[];
  /** Items left out because the list reached `totalBytes`. */
  readonly omitted: number;
  /** Strings cut to `cellBytes` inside the kept items. */
  readonly truncatedCells: number;
}

/**
 * Keep items, each with its strings capped, while the list's JSON stays within `totalBytes`; the first item always
 * stays. Callers page on with `omitted` (the next offset is the kept count).
 */
export function capList<T>(
  items: readonly T[],
  limits: ToolOutputLimits = TOOL_OUTPUT_LIMITS,
): CappedList<T> {
  const kept: T[] = [];
  let bytes = 2;
  let truncatedCells = 0;
  for (const item of items) {
    const capped = capDeep(item, limits.cellBytes);
    const size = byteLength(JSON.stringify(capped.value) ?? 'null') + 1;
    if (kept.length > 0 && bytes + size > limits.totalBytes) break;
    bytes += size;
    truncatedCells += capped.truncated;
    kept.push(capped.value);
  }
  return { items: kept, omitted: items.length - kept.length, truncatedCells };
}
