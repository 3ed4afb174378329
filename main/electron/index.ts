import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, protocol, safeStorage, session } from 'electron';
import { createDispatcher, createHandlers, EventBus } from '../api/index.js';
import { appDataDir } from '../app-paths.js';
import { onShutdown, runShutdown, shutdownSignal, stopOnSignals } from '../lifecycle/index.js';
import { appVersion } from '../version.js';
import { Workspace } from '../workspace/index.js';
import { APP_ENTRY_URL, companionUrlMatcher, registerAppScheme, serveAppScheme } from './app-protocol.js';
import { openAppWindow } from './app-window.js';
import { registerIpc } from './ipc.js';
import { MainWindow } from './main-window.js';
import { guardAllWebContents } from './navigation-guard.js';
import { createDesktopSecretStore } from './secrets.js';
import { denyAllPermissions } from './security.js';

const here = dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const isCompanionUrl = companionUrlMatcher(devServerUrl);

const log = (line: string) => console.error(`[hexclave-companion] ${line}`);

// Shutdown from the first line, as `serve` does: SIGINT, SIGTERM and SIGHUP (Ctrl+C in `npm start`) stop every
// project — worker threads, emulators, Postgres clusters, also half-started ones — before the process goes.
stopOnSignals({ log });

// Before ready: the UI's scheme, and the guard every web contents gets from birth.
registerAppScheme(protocol);
guardAllWebContents(app);

// An app-data folder of its own (HEXCLAVE_COMPANION_HOME: tests, several installs) gets Chromium's profile and the
// single-instance lock beside it, so each data folder has exactly one app.
if (process.env.HEXCLAVE_COMPANION_HOME) app.setPath('userData', join(appDataDir(), 'electron'));

// One instance per data folder: a second one would share the data folder and the Postgres clusters.
if (!app.requestSingleInstanceLock()) {
  log('Hexclave Companion is already running; bringing its window to the front.');
  app.quit();
} else {
  app.whenReady().then(start, (error: unknown) => {
    log(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });

  // Quitting (menu, Cmd+Q, last window closed) runs the same shutdown as a signal, and the app goes once it ended.
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void runShutdown().then((clean) => {
      if (!clean) log('Stopped, but not everything shut down cleanly.');
      stopped = true;
      app.quit();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

async function start(): Promise<void> {
  // Asked to stop while Electron was getting ready: start nothing that no cleanup would stop.
  if (shutdownSignal.aborted) return;
  denyAllPermissions(session.defaultSession);
  serveAppScheme(protocol, join(here, '../renderer'));
  const events = new EventBus();
  const dataDir = appDataDir();
  const current = new Workspace({ dataDir, secrets: createDesktopSecretStore(dataDir, safeStorage), events });
  onShutdown(() => current.stopAll());
  const mainWindow = new MainWindow({
    entryUrl: devServerUrl && isCompanionUrl(devServerUrl) ? devServerUrl : APP_ENTRY_URL,
    preload: join(here, '../preload/index.cjs'),
    isAppUrl: isCompanionUrl,
    events,
  });
  const openApp = (project: string, url: string) => {
    openAppWindow({
      project,
      url,
      hub: current.traffic(project),
      apiUrls: current.backendUrls(project),
      onFocusExchange: (seq) => void mainWindow.show({ project, screen: 'traffic', param: String(seq) }),
      log,
    });
  };
  const dispatch = createDispatcher(
    createHandlers({
      version: appVersion(),
      mode: 'electron',
      modeReason: null,
      workspace: current,
      openAppWindow: openApp,
    }),
  );
  registerIpc(dispatch, isCompanionUrl);
  app.on('second-instance', () => void mainWindow.show());
  // macOS: the dock icon reopens the window (the app stays alive with none).
  app.on('activate', () => void mainWindow.show());
  await mainWindow.show();
}
