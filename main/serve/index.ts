export { rendererDir } from './renderer-dir.js';
export type { RunningServe, ServeOptions } from './server.js';
export { startServe } from './server.js';
export { startServeMode } from './start.js';
