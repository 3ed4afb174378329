/**
 * Live capture (`hexclave-companion proxy`): a reverse proxy for SDK traffic that checks every exchange with the
 * shared rules engine and keeps the last N in memory for the UI and the MCP server.
 */

export { type CaptureProxy, type CaptureProxyOptions, startCaptureProxy } from './capture-proxy.js';
export { formatLogLine } from './log-line.js';
export type { CapturedExchange, ExchangeListener } from './store.js';
