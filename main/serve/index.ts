export { rendererDir } from './renderer-dir.js';
export type { RunningServe, ServeOptions } from './server.js';
export { DEFAULT_SERVE_PORT, startServe } from './server.js';
export { startServeMode } from './start.js';
