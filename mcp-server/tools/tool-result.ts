import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { McpConfigError } from '../config.js';

/**
 * A successful result whose structured content is type-checked against the tool's output shape; the text
 * block carries the same data for clients that ignore structured content (MCP spec, "structured content").
 */
export function structuredResult<Shape extends z.ZodRawShape>(
  _shape: Shape,
  value: z.infer<z.ZodObject<Shape>>,
  text?: string,
): CallToolResult {
  return {
    content: [{ type: 'text', text: text ?? JSON.stringify(value, null, 2) }],
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
