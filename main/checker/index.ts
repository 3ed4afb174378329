/**
 * The compatibility probe (`hexclave-companion check`): runs old, new and mixed SDK traffic against a backend,
 * checks it with the shared rules engine and renders the report. The UI and MCP server call runCheck directly.
 */

export {
  type BackendProbe,
  type BackendProbeInput,
  knownErrorCode,
  probeBackend,
} from './probe/backend-health.js';
export type { ProbeOptions } from './probe/context.js';
export type { ProbeExchange } from './probe/http.js';
export { CannotRunError, type CheckRun, runCheck } from './probe/run.js';
export { isReportFormat, REPORT_FORMATS, type ReportFormat, renderReport } from './reports/index.js';
