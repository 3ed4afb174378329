import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindow, Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { denyAllPermissions, lockNavigation, secureWebPreferences } from '../../../main/electron/security.js';
import { packageRoot } from '../../../main/package-root.js';

// The Electron security checklist (electronjs.org/docs/latest/tutorial/security), asserted over the exact
// objects the app window is created with (main/electron/index.ts passes secureWebPreferences to BrowserWindow).
describe('the companion window follows the Electron security checklist', () => {
  const preferences = secureWebPreferences('/app/out/preload/index.cjs');

  it('isolates the renderer: context isolation, sandbox, no Node anywhere', () => {
    expect(preferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
    expect(preferences.preload).toBe('/app/out/preload/index.cjs');
  });

  it('keeps web security on: same-origin policy, no insecure content, no experimental features, no <webview>', () => {
    expect(preferences).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(preferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('ships a Content Security Policy that allows only its own scripts and loopback sockets', () => {
    const html = readFileSync(join(packageRoot(), 'renderer', 'index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-eval');
    for (const source of directives.get('connect-src') ?? []) {
      expect(source).toMatch(/^('self'|ws:\/\/(127\.0\.0\.1|localhost):\*)$/);
    }
  });

  it('denies every permission request and check', () => {
    let request: ((...args: unknown[]) => void) | null = null;
    let check: ((...args: unknown[]) => boolean) | null = null;
    const session = {
      setPermissionRequestHandler: (handler: typeof request) => (request = handler),
      setPermissionCheckHandler: (handler: typeof check) => (check = handler),
    } as unknown as Session;
    denyAllPermissions(session);
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      request!(null, permission, (granted: boolean) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(check!(null, 'clipboard-read')).toBe(false);
  });

  it('keeps every frame on the app (the event’s url, not the deprecated argument) and opens no new windows', () => {
    type Details = { url: string; isMainFrame: boolean; preventDefault(): void };
    const handlers = new Map<string, (details: Details, deprecatedUrl?: string) => void>();
    let openHandler: (() => { action: string }) | null = null;
    const window = {
      webContents: {
        on: (name: string, handler: (details: Details) => void) => handlers.set(name, handler),
        setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
      },
    } as unknown as BrowserWindow;
    lockNavigation(window, (url) => url.startsWith('hexclave-companion://app/'));
    const prevented = (event: string, url: string, isMainFrame = true) => {
      let stopped = false;
      // The deprecated positional url disagrees on purpose: only the event's own url may count.
      handlers.get(event)!(
        { url, isMainFrame, preventDefault: () => (stopped = true) },
        'hexclave-companion://app/',
      );
      return stopped;
    };
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-navigate', 'hexclave-companion://app/index.html#sync')).toBe(false);
    expect(prevented('will-frame-navigate', 'https://evil.example/', false)).toBe(true);
    expect(prevented('will-redirect', 'https://evil.example/')).toBe(true);
    expect(openHandler!()).toEqual({ action: 'deny' });
  });
});
