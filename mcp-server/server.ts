import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { packageRoot } from '../main/package-root.js';
import { appVersion } from '../main/version.js';
import { identifier } from '../shared/registry/index.js';
import type { McpServerConfig } from './config.js';
import { createContext, type ServerContext } from './context.js';
import { KnowledgeBase } from './knowledge/index.js';
import { createLogger, type Logger } from './log.js';
import { registerResources } from './resources/index.js';
import { ALL_TOOLS, registerTools, type ToolRegistrar } from './tools/index.js';

export interface CreateServerOptions {
  /** Tool registrars to install (default: every tool). */
  readonly tools?: readonly ToolRegistrar[];
  readonly log?: Logger;
  /** Built once and shared when several servers run in one process (tests). */
  readonly knowledge?: KnowledgeBase;
}

export interface HexclaveMcpServer {
  readonly server: McpServer;
  readonly context: ServerContext;
  cleanup(): Promise<void>;
}

/**
 * The one factory behind every transport: stdio for editors, in-memory for tests.
 *
 * @example
 * const { server, cleanup } = createServer(resolveMcpConfig({ readOnly: true }));
 * await server.connect(new StdioServerTransport());
 */
export function createServer(config: McpServerConfig, options: CreateServerOptions = {}): HexclaveMcpServer {
  const log = options.log ?? createLogger();
  const knowledge = options.knowledge ?? KnowledgeBase.fromPackage(packageRoot());
  const context = createContext(config, knowledge, log);
  const { new: askTool, old: askToolOld } = identifier('mcp.ask');
  const server = new McpServer(
    { name: 'hexclave-companion', title: 'Hexclave Companion', version: appVersion() },
    {
      capabilities: { tools: {}, resources: {} },
      instructions: `Hexclave Companion answers questions about the Stack Auth → Hexclave rename and about this project. Use ${askTool} (or its alias ${askToolOld}) for questions, lookup_identifier for one identifier, explain_env when a STACK_*/HEXCLAVE_* variable is not picked up, decode_token for a rejected token, and find_user / query_mirror / profile_query to read the local user mirror (read-only).`,
    },
  );
  const { registered, hidden } = registerTools(server, context, options.tools ?? ALL_TOOLS);
  registerResources(server, knowledge);
  log.info(
    `${registered} tools${hidden > 0 ? ` (${hidden} hidden by --read-only)` : ''}; mirror ${config.mirror ? 'configured' : 'not configured'}; project folder ${config.projectDir}`,
  );
  return {
    server,
    context,
    cleanup: async () => {
      await server.close();
    },
  };
}
