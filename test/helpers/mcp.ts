import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll } from 'vitest';
import { packageRoot } from '../../main/package-root.js';
import {
  ALL_TOOLS,
  createServer,
  type McpFlags,
  type McpServerConfig,
  resolveMcpConfig,
  silentLogger,
  type ToolRegistrar,
} from '../../mcp-server/index.js';
import { KnowledgeBase } from '../../mcp-server/knowledge/index.js';

let knowledge: KnowledgeBase | undefined;

/** The project folders mcpConfig made for this test file, removed after it. */
const projectDirs: string[] = [];
afterAll(() => {
  for (const dir of projectDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A configuration from flags only (an empty environment), in a fresh empty project folder by default. */
export function mcpConfig(flags: McpFlags = {}, env: NodeJS.ProcessEnv = {}): McpServerConfig {
  const projectDir = flags.projectDir ?? mkdtempSync(join(tmpdir(), 'mcp-project-'));
  if (!flags.projectDir) projectDirs.push(projectDir);
  return resolveMcpConfig({ ...flags, projectDir }, env);
}

export interface ConnectedMcp {
  readonly client: Client;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** The real server from createServer, connected to an SDK client over the in-memory transport pair. */
export async function connectInMemory(
  config: McpServerConfig,
  tools: readonly ToolRegistrar[] = ALL_TOOLS,
): Promise<ConnectedMcp> {
  knowledge ??= KnowledgeBase.fromPackage(packageRoot());
  const { server, cleanup } = createServer(config, { tools, log: silentLogger, knowledge });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'hexclave-companion-tests', version: '0.0.0' });
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  return {
    client,
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await cleanup();
    },
  };
}

/** The text of a tool result (errors included). */
export function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

/** A result's structured content, typed by the test that reads it. */
export function structuredOf<T>(result: CallToolResult): T {
  return result.structuredContent as T;
}
