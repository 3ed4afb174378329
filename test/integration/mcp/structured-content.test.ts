import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ALL_TOOLS, type ToolRegistrar } from '../../../mcp-server/index.js';
import { IDENTIFIERS } from '../../../shared/registry/index.js';
import type { SyncStatus } from '../../../shared/sync/index.js';
import { setupTestEmulator } from '../../helpers/emulator.js';
import { type JwksBackend, startJwksBackend } from '../../helpers/jwks-server.js';
import { type ConnectedMcp, connectInMemory, mcpConfig, textOf } from '../../helpers/mcp.js';
import { setupMirrorDatabase } from '../../helpers/mirror.js';

// The reference filesystem server shipped structuredContent that did not match its outputSchema
// (modelcontextprotocol/servers #3110, #3106, #3093). Every tool here is called and its structured content is
// validated against the JSON schema the client sees — independently of the SDK's own zod check.

const mirror = setupMirrorDatabase();
const emulator = setupTestEmulator({ label: 'mcp_structured' });
let mcp: ConnectedMcp;
let backend: JwksBackend;
let tools: Tool[];

const ASK = { question: 'What replaced STACK_SECRET_SERVER_KEY?', reason: 'test', userPrompt: 'test' };

/** One successful call per tool. A new tool without an entry here fails the coverage test below. */
const SAMPLE_CALLS: Record<string, () => Record<string, unknown> | Promise<Record<string, unknown>>> = {
  ask_hexclave: () => ASK,
  ask_stack_auth: () => ASK,
  lookup_identifier: () => ({ name: 'stack-access' }),
  explain_env: () => ({}),
  decode_token: async () => ({ token: await backend.sign() }),
  find_user: () => ({ query: 'ada@example.com' }),
  query_mirror: () => ({ sql: 'SELECT * FROM users' }),
  profile_query: () => ({ sql: 'SELECT * FROM users WHERE primary_email IS NOT NULL' }),
  check_backend: () => ({ apiUrl: emulator().apiUrl, projectId: emulator().projectId }),
  sync_status: () => ({}),
  scan_project: () => ({}),
};

/** A status snapshot as the companion publishes it for `mcp --project` (main/workspace writes these). */
function writeStatusFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mcp-status-')), 'sync-status.json');
  const status: SyncStatus = {
    generatedAtMillis: Date.now(),
    state: 'running',
    source: {
      kind: 'database',
      connection: 'postgres://postgres:*****@127.0.0.1:5432/internal',
      changeCapture: 'triggers',
      mappings: ['users'],
      skippedMappings: [],
      scopes: [],
      watermark: null,
      lastError: null,
      notes: [],
    },
    fusebox: { sequencer: true, poller: true, workers: true },
    sequencer: null,
    queue: null,
    api: null,
    targets: [],
  };
  writeFileSync(path, JSON.stringify(status));
  return path;
}

beforeAll(async () => {
  backend = await startJwksBackend();
  mcp = await connectInMemory({
    ...mcpConfig({
      mirrorDatabaseUrl: mirror().readerUrl,
      apiUrl: backend.apiUrl,
      projectId: backend.projectId,
      publishableClientKey: emulator().publishableClientKey,
    }),
    project: 'structured-content-test',
    statusFile: writeStatusFile(),
  });
  tools = (await mcp.client.listTools()).tools;
});

afterAll(async () => {
  await mcp?.close();
  await backend?.close();
});

describe('every tool', () => {
  it('has a sample call in this test', () => {
    expect(tools.map((t) => t.name).sort()).toEqual(Object.keys(SAMPLE_CALLS).sort());
  });

  it('has a title, a description, described input fields and all four annotations set explicitly', () => {
    for (const tool of tools) {
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description?.length, tool.name).toBeGreaterThan(80);
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(tool.inputSchema.additionalProperties, `${tool.name} refuses unknown arguments`).toBe(false);
      const properties = tool.inputSchema.properties as Record<string, { description?: string }>;
      for (const [field, schema] of Object.entries(properties ?? {})) {
        expect(schema.description, `${tool.name}.${field}`).toBeTruthy();
      }
      expect(Object.keys(tool.annotations ?? {}).sort(), tool.name).toEqual(
        ['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint'].sort(),
      );
      for (const hint of Object.values(tool.annotations ?? {}))
        expect(typeof hint, tool.name).toBe('boolean');
    }
  });

  it.each(Object.keys(SAMPLE_CALLS))(
    '%s returns structured content matching its advertised outputSchema',
    async (name) => {
      const tool = tools.find((t) => t.name === name)!;
      const result = await mcp.call(name, await SAMPLE_CALLS[name]!());
      expect(result.isError, textOf(result)).toBeFalsy();
      const validate = new AjvJsonSchemaValidator().getValidator(tool.outputSchema as never);
      const verdict = validate(result.structuredContent);
      expect(verdict.errorMessage).toBeUndefined();
      expect(verdict.valid).toBe(true);
      // The text is a short summary (for people and clients without structured content), not a second copy.
      const text = textOf(result);
      expect(text).not.toBe(JSON.stringify(result.structuredContent, null, 2));
      expect(() => JSON.parse(text), name).toThrow();
      expect(text.length, name).toBeLessThanOrEqual(name.startsWith('ask_') ? 4600 : 1500);
    },
  );
});

describe('--read-only', () => {
  // No shipped tool writes today; this stand-in proves the mechanism hides one that does.
  const registerWriteProbe: ToolRegistrar = (server: McpServer): RegisteredTool =>
    server.registerTool(
      'write_probe',
      {
        title: 'Write probe',
        description: 'Stands in for a tool that changes something.',
        inputSchema: { value: z.string().describe('anything') },
        annotations: {
          readOnlyHint: false,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        },
      },
      () => ({ content: [{ type: 'text', text: 'written' }] }),
    );
  const registerUnannotated: ToolRegistrar = (server: McpServer): RegisteredTool =>
    server.registerTool('unannotated_probe', { description: 'No hints: must count as writing.' }, () => ({
      content: [{ type: 'text', text: 'ran' }],
    }));

  async function listed(readOnly: boolean): Promise<string[]> {
    const probe = await connectInMemory(mcpConfig({ readOnly }), [
      ...ALL_TOOLS,
      registerWriteProbe,
      registerUnannotated,
    ]);
    try {
      return (await probe.client.listTools()).tools.map((t) => t.name);
    } finally {
      await probe.close();
    }
  }

  it('hides every tool that does not promise readOnlyHint, and nothing else', async () => {
    const all = await listed(false);
    const readOnly = await listed(true);
    expect(all).toEqual(expect.arrayContaining(['write_probe', 'unannotated_probe', 'check_backend']));
    expect(readOnly).toEqual(
      all.filter((name) => !['write_probe', 'unannotated_probe', 'check_backend'].includes(name)),
    );
  });

  it('refuses a call to a hidden tool', async () => {
    const probe = await connectInMemory(mcpConfig({ readOnly: true }), [...ALL_TOOLS, registerWriteProbe]);
    try {
      const result = await probe.call('write_probe', { value: 'x' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/Tool write_probe not found/);
    } finally {
      await probe.close();
    }
  });
});

describe('resources', () => {
  it('lists the registry, the mirror tables and every docs page', async () => {
    const { resources } = await mcp.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toEqual(
      expect.arrayContaining([
        'hexclave-companion://registry',
        'hexclave-companion://mirror/tables',
        'hexclave-companion://docs/README.md',
        'hexclave-companion://docs/cli.md',
        'hexclave-companion://docs/knowledge/sync.md',
      ]),
    );
  });

  it('serves the knowledge pages ask_hexclave cites, so every citation can be opened', async () => {
    const ask = await mcp.call('ask_hexclave', { question: 'How does the sequencer work?' });
    const source = (ask.structuredContent as { citations: { source: string }[] }).citations[0]!.source;
    const [path, heading] = source.split(' › ');
    const { contents } = await mcp.client.readResource({
      uri: `hexclave-companion://docs/${path!.replace(/^docs\//, '')}`,
    });
    expect((contents[0] as { text: string }).text).toContain(`## ${heading}`);
  });

  it('serves the mirror tables as JSON', async () => {
    const { contents } = await mcp.client.readResource({ uri: 'hexclave-companion://mirror/tables' });
    const body = JSON.parse((contents[0] as { text: string }).text) as { tables: { table: string }[] };
    expect(body.tables.map((t) => t.table)).toContain('connected_accounts');
  });

  it('serves the registry as JSON with every identifier', async () => {
    const { contents } = await mcp.client.readResource({ uri: 'hexclave-companion://registry' });
    const body = JSON.parse((contents[0] as { text: string }).text) as { identifiers: { id: string }[] };
    expect(body.identifiers.map((e) => e.id)).toEqual(IDENTIFIERS.map((e) => e.id));
  });

  it('serves a docs page as Markdown', async () => {
    const { contents } = await mcp.client.readResource({ uri: 'hexclave-companion://docs/cli.md' });
    expect(contents[0]).toMatchObject({ mimeType: 'text/markdown', text: expect.stringMatching(/^# CLI/) });
  });
});
