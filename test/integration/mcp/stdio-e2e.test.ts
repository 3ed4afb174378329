import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../../helpers/cli.js';

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
        'scan_project',
        'sync_status',
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
    expect(stderr).toMatch(/\[hexclave-mcp\] info 11 tools; mirror not configured/);
  });
});

describe('hexclave-companion mcp --json and bad usage', () => {
  it('prints the resolved configuration with secrets redacted and where each value came from', async () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'mcp-json-'));
    const result = await runCli(['mcp', '--json', '--project-dir', projectDir, '--read-only'], {
      env: {
        HEXCLAVE_MIRROR_DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:5432/mirror',
        STACK_SECRET_SERVER_KEY: 'ssk_abcdefgh12345678',
        STACK_PROJECT_ID: 'p-1',
      },
    });
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({
      readOnly: true,
      projectId: 'p-1',
      mirror: { url: 'postgres://app:*****@127.0.0.1:5432/mirror' },
      sources: { projectId: 'STACK_PROJECT_ID (process env)', readOnly: '--read-only' },
    });
    expect(printed.tools).not.toContain('check_backend');
    expect(result.stdout).not.toMatch(/s3cret|abcdefgh12345678/);
  });

  it.each([
    [['mcp', '--statement-timeout-ms', 'soon'], /--statement-timeout-ms must be a whole number/],
    [['mcp', '--project-dir', '/no/such/folder'], /Project folder "\/no\/such\/folder" does not exist/],
    [['mcp', '--mirror-database-url', 'mysql://x'], /must start with postgres:\/\//],
  ])('exits 2 with one line for %j', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
