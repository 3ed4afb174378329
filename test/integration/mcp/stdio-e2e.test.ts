import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/cli.js';

// The real command an editor runs (`node bin/hexclave-companion.js mcp`), spawned over stdio with the SDK's
// client: stdout must carry nothing but protocol messages, logs go to stderr.

let client: Client;
let transport: StdioClientTransport;
const protocolErrors: Error[] = [];
let stderr = '';

beforeAll(async () => {
  const projectDir = mkdtempSync(join(tmpdir(), 'mcp-stdio-'));
  transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--project-dir', projectDir],
    cwd: projectDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? projectDir, NO_COLOR: '1' },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  transport.onerror = (error) => protocolErrors.push(error);
  client = new Client({ name: 'stdio-e2e', version: '0.0.0' });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close();
});

describe('hexclave-companion mcp over stdio', () => {
  it('lists every tool with annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        'ask_hexclave',
        'ask_stack_auth',
        'check_backend',
        'decode_token',
        'explain_env',
        'find_user',
        'lookup_identifier',
        'profile_query',
        'query_mirror',
      ].sort(),
    );
    const writers = tools.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name);
    expect(writers).toEqual(['check_backend']);
  });

  it('answers byte-identically under ask_hexclave and ask_stack_auth', async () => {
    const args = {
      question:
        'Does the new SDK still read STACK_PROJECT_ID, and what is __Host-hexclave-refresh-<id>--default?',
      reason: 'e2e',
      userPrompt: 'why is my project id not picked up',
    };
    const hexclave = (await client.callTool({ name: 'ask_hexclave', arguments: args })) as CallToolResult;
    const stack = (await client.callTool({ name: 'ask_stack_auth', arguments: args })) as CallToolResult;
    expect(hexclave.isError).toBeFalsy();
    expect(JSON.stringify(stack)).toBe(JSON.stringify(hexclave));
    expect(JSON.stringify(hexclave)).toContain('HEXCLAVE_PROJECT_ID');
  });

  it('keeps stdout to the protocol and logs on stderr', () => {
    expect(protocolErrors).toEqual([]);
    expect(stderr).toMatch(/\[hexclave-mcp\] info 9 tools; mirror not configured/);
  });
});
