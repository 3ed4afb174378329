import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OUTPUT_LIMITS } from '../../../main/mirror/index.js';
import { CLI } from '../../helpers/cli.js';
import { setupMirrorDatabase } from '../../helpers/mirror.js';

// Attack (issue 12, item 10): one query_mirror answer could be megabytes — the structured JSON and the same again
// as text. Past the client's 10 MB stdio buffer (the SDK's ReadBuffer) the whole MCP session closed. Over the real
// stdio transport of `hexclave-companion mcp`, a query whose rows are 20 MB (and one 10 MB cell) must arrive
// capped, with explicit marks, and the session must stay open.

const mirror = setupMirrorDatabase();
let client: Client;
const transportErrors: Error[] = [];
let closed = false;

beforeAll(async () => {
  const projectDir = mkdtempSync(join(tmpdir(), 'mcp-cap-'));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--project-dir', projectDir, '--mirror-database-url', mirror().readerUrl],
    cwd: projectDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? projectDir, NO_COLOR: '1' },
    stderr: 'pipe',
  });
  transport.onerror = (error) => transportErrors.push(error);
  transport.onclose = () => {
    closed = true;
  };
  client = new Client({ name: 'mcp-output-cap', version: '0.0.0' });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close();
});

async function call(sql: string, maxRows = 1000): Promise<{ result: CallToolResult; bytes: number }> {
  const result = (await client.callTool({ name: 'query_mirror', arguments: { sql, maxRows } }, undefined, {
    timeout: 45_000,
  })) as CallToolResult;
  return { result, bytes: Buffer.byteLength(JSON.stringify(result)) };
}

interface Structured {
  rows: string[][];
  rowCount: number;
  truncated: boolean;
  truncatedBy: string | null;
  truncatedCells: number;
}

describe('a 10 MB query_mirror answer over stdio', () => {
  it('arrives capped at the result byte cap, each cut cell marked with its full size', async () => {
    const { result, bytes } = await call(
      "SELECT g, repeat('x', 20000) AS big FROM generate_series(1, 1000) AS g",
    );
    expect(result.isError, JSON.stringify(result).slice(0, 300)).toBeFalsy();
    const structured = result.structuredContent as unknown as Structured;
    expect(structured.truncated).toBe(true);
    expect(structured.truncatedBy).toBe('byte-limit');
    expect(structured.rowCount).toBeGreaterThan(0);
    expect(structured.rowCount).toBeLessThan(1000);
    expect(structured.truncatedCells).toBe(structured.rowCount);
    expect(structured.rows[0]![1]).toMatch(/^x+… \[truncated, 20000 bytes\]$/);
    expect(Buffer.byteLength(structured.rows[0]![1]!)).toBeLessThanOrEqual(DEFAULT_OUTPUT_LIMITS.cellBytes);
    // The whole message: the capped rows once, plus a short text summary.
    expect(bytes).toBeLessThan(DEFAULT_OUTPUT_LIMITS.resultBytes + 64 * 1024);
    const text = (result.content[0] as { text: string }).text;
    expect(text.length).toBeLessThan(2_000);
    expect(text).toContain(`reached its ${DEFAULT_OUTPUT_LIMITS.resultBytes}-byte cap`);
  }, 60_000);

  it('cuts a single 10 MB cell and says how big it was', async () => {
    const { result, bytes } = await call("SELECT repeat('y', 10 * 1024 * 1024) AS huge");
    const structured = result.structuredContent as unknown as Structured;
    expect(structured.truncatedBy).toBeNull();
    expect(structured.truncatedCells).toBe(1);
    expect(structured.rows[0]![0]).toMatch(/… \[truncated, 10485760 bytes\]$/);
    expect(bytes).toBeLessThan(DEFAULT_OUTPUT_LIMITS.cellBytes + 8 * 1024);
  }, 60_000);

  it('keeps the session open: the next call answers and the transport saw no error', async () => {
    const { result } = await call('SELECT 1 AS one', 1);
    expect((result.structuredContent as unknown as Structured).rows).toEqual([[1]]);
    expect(transportErrors).toEqual([]);
    expect(closed).toBe(false);
  }, 60_000);
});
