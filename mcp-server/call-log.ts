import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export interface McpCallRecord {
  readonly at: number;
  readonly tool: string;
  readonly ok: boolean;
  readonly ms: number;
  /** First line of the result or error; never the arguments, which may hold SQL or tokens. */
  readonly summary: string;
}

const MAX_LOG_BYTES = 512 * 1024;

function append(path: string, record: McpCallRecord): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    // Keep the log small: start over past half a megabyte rather than grow without bound.
    if (existsSync(path) && statSync(path).size > MAX_LOG_BYTES) writeFileSync(path, '');
    appendFileSync(path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  } catch {
    // Logging must never break a tool call.
  }
}

function summarize(result: CallToolResult): string {
  const first = result.content.find((c) => c.type === 'text');
  const text = first && first.type === 'text' ? first.text : '';
  return text.split('\n')[0]!.slice(0, 160);
}

/**
 * Wrap `server.registerTool` so every call made through tools registered afterwards is appended to `path`.
 * One place, instead of a logging line in every tool.
 */
export function logToolCalls(server: McpServer, path: string): void {
  const register = server.registerTool.bind(server) as (
    ...args: unknown[]
  ) => ReturnType<McpServer['registerTool']>;
  (server as { registerTool: unknown }).registerTool = (
    name: string,
    config: unknown,
    callback: (...a: unknown[]) => Promise<CallToolResult>,
  ) =>
    register(name, config, async (...args: unknown[]) => {
      const started = performance.now();
      try {
        const result = await callback(...args);
        append(path, {
          at: Date.now(),
          tool: name,
          ok: !result.isError,
          ms: performance.now() - started,
          summary: summarize(result),
        });
        return result;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        append(path, {
          at: Date.now(),
          tool: name,
          ok: false,
          ms: performance.now() - started,
          summary: message.slice(0, 160),
        });
        throw error;
      }
    });
}

export function readCallLog(path: string, limit = 100): McpCallRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(-limit)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as McpCallRecord];
      } catch {
        return [];
      }
    })
    .reverse();
}
