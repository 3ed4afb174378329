import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, session } from 'electron';
import { createDispatcher, createHandlers, EventBus } from '../api/index.js';
import { appVersion } from '../version.js';
import { forwardEvents, registerIpc } from './ipc.js';
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
  const dispatch = createDispatcher(
    createHandlers({ version: appVersion(), mode: 'electron', modeReason: null }),
  );
  registerIpc(dispatch, isAppUrl);
  await createMainWindow(events);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createMainWindow(events);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
