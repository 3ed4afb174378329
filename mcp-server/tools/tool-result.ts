import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { McpConfigError } from '../config.js';

/** Longest text block a result carries next to its structured content (ask_hexclave's answer fits). */
const MAX_TEXT_CHARS = 6000;

function describeField(key: string, value: unknown): string {
  if (Array.isArray(value)) return `${key}: ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return `${key}: ${value}`;
  if (typeof value === 'string') return `${key}: ${value.length > 80 ? `${value.slice(0, 79)}…` : value}`;
  return `${key}: {${Object.keys(value as object).length} fields}`;
}

/**
 * A one-line outline of a structured value, for tools that have no better words: each top-level field with its
 * size. The data itself is in the structured content, never copied into the text.
 */
export function outline(value: Record<string, unknown>): string {
  return Object.entries(value)
    .map(([key, inner]) => describeField(key, inner))
    .join('; ');
}

/**
 * A successful result whose structured content is type-checked against the tool's output shape. The text block is
 * a short summary for people and for clients that ignore structured content — never a second copy of the data
 * (MCP spec, "structured content": the text is for backwards compatibility; copying doubles what a model reads).
 */
export function structuredResult<Shape extends z.ZodRawShape>(
  _shape: Shape,
  value: z.infer<z.ZodObject<Shape>>,
  summary?: string,
): CallToolResult {
  const text = summary ?? outline(value as Record<string, unknown>);
  return {
    content: [
      {
        type: 'text',
        text: text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS - 1)}…` : text,
      },
    ],
    structuredContent: value as Record<string, unknown>,
  };
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Errors we expect users to hit (bad input, refused SQL, unreachable services) become readable tool errors. */
const EXPECTED_ERRORS = new Set([
  'MirrorQueryError',
  'ProjectDirError',
  'ScanDirError',
  'BearerParseError',
  'TokenInputError',
  McpConfigError.name,
]);

export async function guarded(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error && EXPECTED_ERRORS.has(error.name)) return errorResult(error.message);
    throw error;
  }
}
