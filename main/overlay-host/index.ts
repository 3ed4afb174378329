/** The companion side of the in-page dev tool (overlay/): the served script and its report socket. */

export { createOverlayHost, type OverlayHost, type OverlayHostOptions } from './host.js';
export type { OverlayRouteHint } from './ingest.js';
export { isLoopbackPageOrigin } from './origins.js';
export { TokenBucket } from './rate-limit.js';
export { OverlayReportSchema, type ParsedOverlayReport } from './schema.js';
export { renderOverlayScript } from './script.js';
export { overlayScriptFile } from './script-file.js';
