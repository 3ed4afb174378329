import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectedMcp, connectInMemory, mcpConfig } from '../../helpers/mcp.js';

// Tool schema snapshots ("toolsnaps", after github/github-mcp-server): one JSON file per tool with what a
// client sees. Any change to a name, title, description, schema or annotation fails until it is reviewed and
// the snapshots are rewritten with UPDATE_TOOLSNAPS=1.

const SNAPS = join(import.meta.dirname, '..', '..', 'fixtures', 'mcp-toolsnaps');
const UPDATE = process.env.UPDATE_TOOLSNAPS === '1';
const HOW_TO_UPDATE =
  'If the change is intended, review it and rewrite the snapshots: UPDATE_TOOLSNAPS=1 npx vitest run test/integration/mcp/toolsnaps.test.ts';

let mcp: ConnectedMcp;
let tools: Tool[];

beforeAll(async () => {
  mcp = await connectInMemory(mcpConfig());
  tools = (await mcp.client.listTools()).tools;
});

afterAll(async () => {
  await mcp?.close();
});

function snapshotOf(tool: Tool): string {
  const { name, title, description, inputSchema, outputSchema, annotations } = tool;
  return `${JSON.stringify({ name, title, description, inputSchema, outputSchema, annotations }, null, 2)}\n`;
}

const fileOf = (name: string) => join(SNAPS, `${name}.snap.json`);

describe('tool schema snapshots', () => {
  it('has a snapshot for every tool and no snapshot for a tool that is gone', () => {
    const names = tools.map((t) => t.name).sort();
    if (UPDATE) {
      mkdirSync(SNAPS, { recursive: true });
      for (const file of readdirSync(SNAPS)) {
        if (!names.includes(file.replace(/\.snap\.json$/, ''))) rmSync(join(SNAPS, file));
      }
    }
    const snapped = existsSync(SNAPS) ? readdirSync(SNAPS).map((f) => f.replace(/\.snap\.json$/, '')) : [];
    const missing = names.filter((n) => !snapped.includes(n) && !UPDATE);
    const stale = snapped.filter((n) => !names.includes(n));
    expect(missing, `Tools without a snapshot. ${HOW_TO_UPDATE}`).toEqual([]);
    expect(stale, `Snapshots of tools that no longer exist. ${HOW_TO_UPDATE}`).toEqual([]);
  });

  it('matches the reviewed snapshot of each tool', () => {
    const changed: string[] = [];
    for (const tool of tools) {
      const actual = snapshotOf(tool);
      if (UPDATE) {
        writeFileSync(fileOf(tool.name), actual);
        continue;
      }
      if (!existsSync(fileOf(tool.name))) continue; // reported by the test above
      if (readFileSync(fileOf(tool.name), 'utf8') !== actual) changed.push(tool.name);
    }
    for (const name of changed) {
      const tool = tools.find((t) => t.name === name)!;
      expect(snapshotOf(tool), `Tool ${name} changed since its snapshot. ${HOW_TO_UPDATE}`).toBe(
        readFileSync(fileOf(name), 'utf8'),
      );
    }
    expect(changed).toEqual([]);
  });
});
