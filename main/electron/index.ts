import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, session } from 'electron';
import { createDispatcher, createHandlers, EventBus } from '../api/index.js';
import { appDataDir } from '../app-paths.js';
import { appVersion } from '../version.js';
import { Workspace } from '../workspace/index.js';
import { openAppWindow } from './app-window.js';
import { forwardEvents, registerIpc } from './ipc.js';
import { createDesktopSecretStore } from './secrets.js';
import { denyAllPermissions, lockNavigation, secureWebPreferences } from './security.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererIndex = join(here, '../renderer/index.html');
const devServerUrl = process.env.ELECTRON_RENDERER_URL;

function isAppUrl(url: string): boolean {
  if (devServerUrl && url.startsWith(devServerUrl)) return true;
  return url.startsWith(pathToFileURL(rendererIndex).toString());
}

async function createMainWindow(events: EventBus): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Hexclave Companion',
    show: false,
    webPreferences: secureWebPreferences(join(here, '../preload/index.cjs')),
  });
  lockNavigation(window, isAppUrl);
  const stopForwarding = forwardEvents(events, window.webContents);
  window.on('closed', stopForwarding);
  window.once('ready-to-show', () => window.show());
  if (devServerUrl) await window.loadURL(devServerUrl);
  else await window.loadFile(rendererIndex);
  return window;
}

app.whenReady().then(async () => {
  denyAllPermissions(session.defaultSession);
  const events = new EventBus();
  const dataDir = appDataDir();
  const current = new Workspace({ dataDir, secrets: createDesktopSecretStore(dataDir), events });
  workspace = current;
  let mainWindow: BrowserWindow | null = null;
  const openApp = (project: string, url: string) => {
    openAppWindow({
      project,
      url,
      hub: current.traffic(project),
      apiUrls: current.backendUrls(project),
      onFocusExchange: (seq) => {
        events.publish('app.navigate', { project, screen: 'traffic', param: String(seq) });
        mainWindow?.show();
        mainWindow?.focus();
      },
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
  registerIpc(dispatch, isAppUrl);
  mainWindow = await createMainWindow(events);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createMainWindow(events);
  });
});

let workspace: Workspace | null = null;

// Stop every project's services (sync, proxy, emulator, Postgres) before the app goes away.
app.on('before-quit', (event) => {
  if (!workspace) return;
  event.preventDefault();
  const stopping = workspace;
  workspace = null;
  void stopping.stopAll().finally(() => app.quit());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
