import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { logToolCalls } from '../call-log.js';
import type { ServerContext } from '../context.js';
import { registerAskHexclaveTool, registerAskStackAuthTool } from './ask-hexclave.js';
import { registerCheckBackendTool } from './check-backend.js';
import { registerDecodeTokenTool } from './decode-token.js';
import { registerExplainEnvTool } from './explain-env.js';
import { registerFindUserTool } from './find-user.js';
import { registerLookupIdentifierTool } from './lookup-identifier.js';
import { registerProfileQueryTool } from './profile-query.js';
import { registerQueryMirrorTool } from './query-mirror.js';
import { registerScanProjectTool } from './scan-project.js';
import { registerSyncStatusTool } from './sync-status.js';

/** Registers one tool (one file each under tools/) and returns it. */
export type ToolRegistrar = (server: McpServer, context: ServerContext) => RegisteredTool;

export const ALL_TOOLS: readonly ToolRegistrar[] = [
  registerAskHexclaveTool,
  registerAskStackAuthTool,
  registerLookupIdentifierTool,
  registerExplainEnvTool,
  registerDecodeTokenTool,
  registerFindUserTool,
  registerQueryMirrorTool,
  registerProfileQueryTool,
  registerCheckBackendTool,
  registerSyncStatusTool,
  registerScanProjectTool,
];

/**
 * Register every tool; with --read-only, remove each one whose annotations do not promise readOnlyHint: true.
 * The decision reads the same annotations clients see, so a tool cannot be listed as read-only yet hidden, or
 * write while --read-only is on. A missing hint counts as "can write".
 */
export function registerTools(
  server: McpServer,
  context: ServerContext,
  registrars: readonly ToolRegistrar[] = ALL_TOOLS,
): { registered: number; hidden: number } {
  if (context.config.callLog) logToolCalls(server, context.config.callLog);
  const tools = registrars.map((register) => register(server, context));
  let hidden = 0;
  if (context.config.readOnly) {
    for (const tool of tools) {
      if (tool.annotations?.readOnlyHint !== true) {
        tool.remove();
        hidden++;
      }
    }
  }
  return { registered: tools.length - hidden, hidden };
}
