import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../../main/api/dispatcher.js';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import type { AppContext } from '../../../main/api/handlers/context.js';
import { mcpHandlers } from '../../../main/api/handlers/mcp.js';
import { projectFilesDir } from '../../../mcp-server/project-descriptor.js';
import { setupMirrorDatabase } from '../../helpers/mirror.js';

// The desktop app's MCP screen: each tool as a client sees it, and calling one through the typed API (the same
// dispatcher both transports use), with tools that can write held back until the user confirms.

const mirror = setupMirrorDatabase();
const PROJECT = 'mcp-screen-test';
let dispatch: ReturnType<typeof createDispatcher>;

beforeAll(() => {
  process.env.HEXCLAVE_COMPANION_HOME = mkdtempSync(join(tmpdir(), 'mcp-screen-home-'));
  mkdirSync(projectFilesDir(PROJECT), { recursive: true });
  writeFileSync(
    join(projectFilesDir(PROJECT), 'mcp.json'),
    JSON.stringify({
      project: PROJECT,
      name: 'MCP screen test',
      apiUrl: null,
      projectId: null,
      publishableClientKey: null,
      mirrorDatabaseUrl: mirror().readerUrl,
      statusFile: join(projectFilesDir(PROJECT), 'sync-status.json'),
    }),
  );
  // mcp.* handlers need nothing from the app context: the project's MCP configuration is on disk.
  dispatch = createDispatcher(mcpHandlers({} as AppContext) as ApiHandlers);
});

type Status = {
  reachable: boolean;
  toolInfo: { name: string; description: string; readOnly: boolean; inputSchema: Record<string, unknown> }[];
};
type Call = {
  ms: number;
  result: { isError?: boolean; structuredContent?: Record<string, unknown>; content: { text: string }[] };
};

describe('MCP screen API', () => {
  it('lists every tool with its description, input schema and whether it can write', async () => {
    const status = (await dispatch('mcp.status', { project: PROJECT })) as Status;
    expect(status.reachable).toBe(true);
    const ask = status.toolInfo.find((t) => t.name === 'ask_hexclave')!;
    expect(ask.description).toMatch(/Not covered/);
    expect(ask).toMatchObject({
      readOnly: true,
      inputSchema: { additionalProperties: false, required: ['question'] },
    });
    expect(status.toolInfo.find((t) => t.name === 'check_backend')).toMatchObject({ readOnly: false });
  });

  it('calls a read-only tool with JSON arguments and returns the raw result', async () => {
    const call = (await dispatch('mcp.call', {
      project: PROJECT,
      tool: 'find_user',
      arguments: { query: 'ada@example.com' },
    })) as Call;
    expect(call.result.isError).toBeFalsy();
    expect(call.result.structuredContent).toMatchObject({ users: [{ displayName: 'Ada Lovelace' }] });
    expect(call.result.content[0]!.text).toMatch(/^1 user matched by email\./);
    expect(call.ms).toBeGreaterThanOrEqual(0);
  });

  it('returns a tool’s own error as its raw result (bad arguments included)', async () => {
    const call = (await dispatch('mcp.call', {
      project: PROJECT,
      tool: 'find_user',
      arguments: { query: 'ada', limit: 'ten' },
    })) as Call;
    expect(call.result.isError).toBe(true);
    expect(call.result.content[0]!.text).toMatch(/limit/);
  });

  it('holds back a tool that can write until the user confirms, and refuses unknown tools', async () => {
    await expect(
      dispatch('mcp.call', { project: PROJECT, tool: 'check_backend', arguments: {} }),
    ).rejects.toMatchObject({ name: 'Mcp:confirm', message: expect.stringMatching(/confirm to run it/) });
    const confirmed = (await dispatch('mcp.call', {
      project: PROJECT,
      tool: 'check_backend',
      arguments: {},
      confirmed: true,
    })) as Call;
    // Confirmed, it runs — and says what it lacks, since this project has no backend configured.
    expect(confirmed.result.isError).toBe(true);
    expect(confirmed.result.content[0]!.text).toMatch(/check_backend needs the API URL/);
    await expect(dispatch('mcp.call', { project: PROJECT, tool: 'no_such_tool' })).rejects.toMatchObject({
      name: 'NotFound',
    });
  });
});
