export {
  DEFAULT_STATEMENT_TIMEOUT_MS,
  McpConfigError,
  type McpFlags,
  type McpServerConfig,
  resolveMcpConfig,
} from './config.js';
export { createLogger, type Logger, silentLogger } from './log.js';
export { type CreateServerOptions, createServer, type HexclaveMcpServer } from './server.js';
export { ALL_TOOLS, type ToolRegistrar } from './tools/index.js';
