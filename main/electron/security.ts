import type { BrowserWindow, Session, WebPreferences } from 'electron';
import { setNavigationPolicy } from './navigation-guard.js';

/** Electron security checklist items 2–4, 6, 8–10 for the companion's own window. Asserted by a test. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** Checklist 5: Electron grants every permission by default; the companion needs none. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Checklist 13–15: every frame stays on the app's own URLs; no new windows (main/electron/navigation-guard.ts). */
export function lockNavigation(window: BrowserWindow, isAppUrl: (url: string) => boolean): void {
  setNavigationPolicy(window.webContents, { mainFrame: isAppUrl, subframes: isAppUrl });
}
