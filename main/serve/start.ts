import { join } from 'node:path';
import { createDispatcher, createHandlers, EventBus } from '../api/index.js';
import { appDataDir } from '../app-paths.js';
import { logLine } from '../cli/output.js';
import { createOverlayHost } from '../overlay-host/index.js';
import { createFileSecretStore } from '../projects/index.js';
import { appVersion } from '../version.js';
import { Workspace } from '../workspace/index.js';
import { rendererDir } from './renderer-dir.js';
import { type RunningServe, startServe } from './server.js';

export interface ServeModeOptions {
  readonly port: number;
  /** Why the UI runs in a browser rather than Electron (shown in the UI), or null when chosen explicitly. */
  readonly reason: string | null;
  /** App-data folder (projects, secrets); default appDataDir(). */
  readonly dataDir?: string;
}

export interface RunningServeMode extends RunningServe {
  readonly workspace: Workspace;
}

/** Compose the app services and serve them with the UI on 127.0.0.1. */
export async function startServeMode(options: ServeModeOptions): Promise<RunningServeMode> {
  // The UI (here) and the overlay script (createOverlayHost) come from `npm run build`: fail before listening.
  const uiDir = rendererDir();
  const dataDir = options.dataDir ?? appDataDir();
  const events = new EventBus();
  // Serve mode has no OS keychain: secrets live in a file only this user can read (0600).
  const workspace = new Workspace({
    dataDir,
    secrets: createFileSecretStore(join(dataDir, 'secrets.json')),
    events,
  });
  let overlayScriptUrl: string | null = null;
  const handlers = createHandlers({
    version: appVersion(),
    mode: 'serve',
    modeReason: options.reason,
    workspace,
    overlayScriptUrl: () => overlayScriptUrl,
  });
  const overlay = createOverlayHost({
    // Each report goes to the project whose backend the page talks to (Workspace.trafficFor).
    hub: (hint) => workspace.trafficFor(hint),
    onFocusRequest: (seq, pageUrl) =>
      events.publish('app.navigate', {
        project: pageUrl ? workspace.projectOfPage(pageUrl) : null,
        screen: 'traffic',
        param: String(seq),
      }),
    version: appVersion(),
    log: logLine,
  });
  let running: RunningServe;
  try {
    running = await startServe({
      overlay,
      port: options.port,
      rendererDir: uiDir,
      dispatch: createDispatcher(handlers),
      events,
    });
  } catch (error) {
    // The port is taken: nothing may keep the process alive after the error line.
    overlay.close();
    await workspace.stopAll();
    throw error;
  }
  overlayScriptUrl = `${running.origin}${overlay.scriptPath}`;
  return {
    ...running,
    workspace,
    async close() {
      await running.close();
      await workspace.stopAll();
    },
  };
}
