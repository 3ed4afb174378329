import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
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

/** A tool's input as a strict object: an argument the tool does not define is an error, not silently dropped. */
function strictInput(schema: unknown): z.ZodType {
  if (schema === undefined) return z.strictObject({});
  if (schema instanceof z.ZodObject) return schema.strict();
  if (schema instanceof z.ZodType) return schema;
  return z.strictObject(schema as z.ZodRawShape);
}

/**
 * The server as registrars see it: every tool's input becomes a strict object (its JSON Schema says
 * `additionalProperties: false`), whoever wrote the tool — one rule in one place, like --read-only below.
 */
function withStrictInputs(server: McpServer): McpServer {
  const registerTool = ((name: string, config: { inputSchema?: unknown }, callback: unknown) =>
    (server.registerTool as (...args: unknown[]) => RegisteredTool)(
      name,
      { ...config, inputSchema: strictInput(config.inputSchema) },
      callback,
    )) as McpServer['registerTool'];
  return new Proxy(server, {
    get: (target, property, receiver) =>
      property === 'registerTool' ? registerTool : Reflect.get(target, property, receiver),
  });
}

/**
 * Register every tool, each with a strict input; with --read-only, remove each one whose annotations do not promise readOnlyHint: true.
 * The decision reads the same annotations clients see, so a tool cannot be listed as read-only yet hidden, or
 * write while --read-only is on. A missing hint counts as "can write".
 */
export function registerTools(
  server: McpServer,
  context: ServerContext,
  registrars: readonly ToolRegistrar[] = ALL_TOOLS,
): { registered: number; hidden: number } {
  if (context.config.callLog) logToolCalls(server, context.config.callLog);
  const strict = withStrictInputs(server);
  const tools = registrars.map((register) => register(strict, context));
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
