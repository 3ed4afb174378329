import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseWindow, type IpcMainEvent, ipcMain, session, type WebContents, WebContentsView } from 'electron';
import type { WindowTrafficItem } from '../../shared/overlay-protocol.js';
import { OVERLAY_IPC } from '../../shared/overlay-protocol.js';
import { OverlayReportSchema, overlayScriptFile } from '../overlay-host/index.js';
import type { TrafficHub } from '../traffic/index.js';
import {
  appPartition,
  backendUrlMatcher,
  navigationAllowed,
  pageVisibleExchange,
} from './app-window-policy.js';
import { attachNetworkCapture } from './network-capture.js';
import { denyAllPermissions, secureWebPreferences } from './security.js';

export interface AppWindowOptions {
  /** Names the session partition (`persist:app-<project>`): the app's cookies survive restarts, per project. */
  readonly project: string;
  /** The developer's dev URL, e.g. http://localhost:3000. */
  readonly url: string;
  readonly hub: TrafficHub;
  /** Default: out/preload/overlay.cjs next to the main bundle. */
  readonly preloadPath?: string;
  /** The built overlay script, run in the page by the preload. Default: out/overlay/overlay.js. */
  readonly overlayScript?: () => string;
  /** Backend URL prefixes besides any `/api/v1/` path. */
  readonly apiUrls?: readonly string[];
  /** Origins the app may navigate to besides its own (e.g. the backend's OAuth pages). */
  readonly allowedOrigins?: readonly string[];
  /** The overlay asked to show Traffic item `seq` in the companion window. */
  readonly onFocusExchange?: (seq: number) => void;
  readonly log?: (line: string) => void;
}

export interface AppWindow {
  readonly window: BaseWindow;
  readonly view: WebContentsView;
  close(): void;
}

const defaultPreload = () => join(dirname(fileURLToPath(import.meta.url)), '../preload/overlay.cjs');
// Built by `npm start` / `npm run build` before the app starts; never built from here (that would block the app).
const defaultOverlayScript = () => readFileSync(overlayScriptFile(), 'utf8');

const open = new Map<number, AppWindowOptions>();
let ipcRegistered = false;

function optionsFor(sender: WebContents): AppWindowOptions | undefined {
  return open.get(sender.id);
}

/** One set of handlers for every wrapped window; each message is checked to come from one of them. */
function registerOverlayIpc(): void {
  if (ipcRegistered) return;
  ipcRegistered = true;
  ipcMain.handle(OVERLAY_IPC.script, (event) => {
    const options = optionsFor(event.sender);
    return options ? (options.overlayScript ?? defaultOverlayScript)() : null;
  });
  ipcMain.on(OVERLAY_IPC.report, (event: IpcMainEvent, message: unknown) => {
    const options = optionsFor(event.sender);
    if (!options || event.senderFrame?.parent !== null) return;
    const parsed = OverlayReportSchema.safeParse(message);
    if (!parsed.success) return;
    const report = parsed.data;
    if (report.type === 'focus') options.onFocusExchange?.(report.seq);
    else if (report.type === 'snapshot') {
      options.hub.pages.record({
        source: 'window',
        pageUrl: report.pageUrl,
        snapshot: report.snapshot,
        findings: report.findings,
      });
    }
  });
}

/**
 * "Open my app": the developer's dev URL in a sandboxed view with a session of its own, the overlay preload only,
 * every permission denied and navigation kept on the app's origin. Its backend traffic is captured through the
 * DevTools protocol, checked by the hub's rules engine and listed in Traffic (source `window`).
 */
export function openAppWindow(options: AppWindowOptions): AppWindow {
  registerOverlayIpc();
  const appSession = session.fromPartition(appPartition(options.project));
  denyAllPermissions(appSession);
  const window = new BaseWindow({ width: 1280, height: 860, title: `${options.url} — Hexclave Companion` });
  const view = new WebContentsView({
    webPreferences: { ...secureWebPreferences(options.preloadPath ?? defaultPreload()), session: appSession },
  });
  window.contentView.addChildView(view);
  const fillWindow = () => {
    const { width, height } = window.getContentBounds();
    view.setBounds({ x: 0, y: 0, width, height });
  };
  fillWindow();
  window.on('resize', fillWindow);

  const contents = view.webContents;
  open.set(contents.id, options);
  const allowed = (url: string) => navigationAllowed(url, options.url, options.allowedOrigins);
  contents.on('will-navigate', (event, url) => {
    if (!allowed(url)) {
      event.preventDefault();
      options.log?.(`Blocked navigation of the app window to ${url} (not the app's origin).`);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!allowed(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));

  const capture = attachNetworkCapture(contents, {
    isBackend: backendUrlMatcher(options.apiUrls ?? []),
    record: (exchange, pageUrl) => {
      const item = options.hub.record({ source: 'window', exchange, pageUrl });
      // The page sees its own request (the proxy's sighting names the backend's URL) with the request's one verdict.
      const own = item.sightings.find((s) => s.source === 'window')?.exchange ?? item.exchange;
      const forPage: WindowTrafficItem = {
        seq: item.seq,
        exchange: pageVisibleExchange(own),
        attribution: item.attribution,
        findings: item.findings,
        worst: item.worst,
      };
      if (!contents.isDestroyed()) contents.send(OVERLAY_IPC.traffic, forPage);
    },
    ...(options.log ? { log: options.log } : {}),
  });

  const id = contents.id;
  window.on('closed', () => {
    open.delete(id);
    capture.stop();
    if (!contents.isDestroyed()) contents.close();
  });
  void contents.loadURL(options.url);
  return { window, view, close: () => window.close() };
}
