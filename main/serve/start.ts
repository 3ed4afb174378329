import { createDispatcher, createHandlers, EventBus } from '../api/index.js';
import { logLine } from '../cli/output.js';
import { appVersion } from '../version.js';
import { ensureRendererBuilt, rendererDir } from './renderer-build.js';
import { type RunningServe, startServe } from './server.js';

export interface ServeModeOptions {
  readonly port: number;
  /** Why the UI runs in a browser rather than Electron (shown in the UI), or null when chosen explicitly. */
  readonly reason: string | null;
}

/** Compose the app services and serve them with the UI on 127.0.0.1. */
export async function startServeMode(options: ServeModeOptions): Promise<RunningServe> {
  ensureRendererBuilt(logLine);
  const events = new EventBus();
  const handlers = createHandlers({ version: appVersion(), mode: 'serve', modeReason: options.reason });
  return startServe({
    port: options.port,
    rendererDir: rendererDir(),
    dispatch: createDispatcher(handlers),
    events,
  });
}
