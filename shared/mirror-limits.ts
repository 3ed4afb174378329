/**
 * Byte caps on what a mirror read returns (the UI console and browser, MCP query_mirror and profile_query): one
 * cell and the whole result, in bytes of JSON text. Shared so the UI states the same numbers main enforces.
 */
export interface OutputLimits {
  /** Largest cell, in bytes of its JSON text. */
  readonly cellBytes: number;
  /** Largest result, in bytes of the rows' JSON text; rows past it are left out. */
  readonly resultBytes: number;
}

export const MIRROR_OUTPUT_LIMITS: OutputLimits = { cellBytes: 16 * 1024, resultBytes: 1024 * 1024 };

/** 16384 → "16 kB", 1048576 → "1 MB" (binary units, as the caps are set). */
export function formatByteCap(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} kB`;
  return `${bytes} bytes`;
}
