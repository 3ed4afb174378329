import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseWindow, type IpcMainEvent, ipcMain, session, type WebContents, WebContentsView } from 'electron';
import type { WindowTrafficItem } from '../../shared/overlay-protocol.js';
import { OVERLAY_IPC, OVERLAY_LIMITS } from '../../shared/overlay-protocol.js';
import { OverlayReportSchema, overlayScriptFile, TokenBucket } from '../overlay-host/index.js';
import type { TrafficHub } from '../traffic/index.js';
import {
  appPartition,
  backendUrlMatcher,
  loadFailurePage,
  navigationAllowed,
  pageVisibleExchange,
} from './app-window-policy.js';
import { setNavigationPolicy } from './navigation-guard.js';
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

interface OpenWindow {
  readonly options: AppWindowOptions;
  /** The page's reports: the same limits as the overlay's ingest socket. */
  readonly reports: TokenBucket;
  droppedReports: number;
}

const open = new Map<number, OpenWindow>();
let ipcRegistered = false;

/** The wrapped window a message came from, if it came from the main frame of one. */
function senderWindow(event: { sender: WebContents; senderFrame: { parent: unknown } | null }) {
  const entry = open.get(event.sender.id);
  return entry && event.senderFrame && event.senderFrame.parent === null ? entry : undefined;
}

/** One set of handlers for every wrapped window; each message is checked to come from one of them. */
function registerOverlayIpc(): void {
  if (ipcRegistered) return;
  ipcRegistered = true;
  ipcMain.handle(OVERLAY_IPC.script, (event) => {
    const entry = senderWindow(event);
    return entry ? (entry.options.overlayScript ?? defaultOverlayScript)() : null;
  });
  ipcMain.on(OVERLAY_IPC.report, (event: IpcMainEvent, message: unknown) => {
    const entry = senderWindow(event);
    if (!entry) return;
    if (!entry.reports.take()) {
      if (entry.droppedReports++ === 0) {
        entry.options.log?.(
          `The app window sends more than ${OVERLAY_LIMITS.messagesPerSecond} reports a second; dropping the excess.`,
        );
      }
      return;
    }
    const parsed = OverlayReportSchema.safeParse(message);
    if (!parsed.success) return;
    const report = parsed.data;
    if (report.type === 'focus') entry.options.onFocusExchange?.(report.seq);
    else if (report.type === 'snapshot') {
      entry.options.hub.pages.record({
        source: 'window',
        pageUrl: report.pageUrl,
        snapshot: report.snapshot,
        findings: report.findings,
      });
    }
  });
}

const isWebUrl = (url: string) => /^https?:\/\//i.test(url);

/**
 * "Open my app": the developer's dev URL in a sandboxed view with a session of its own, the overlay preload only,
 * every permission denied and navigation kept on the app's origin. Its backend traffic is captured through the
 * DevTools protocol, checked by the hub's rules engine and listed in Traffic (source `window`). A page that does
 * not load (dev server down) or a renderer that dies shows why, never a blank window.
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
  open.set(contents.id, {
    options,
    reports: new TokenBucket(OVERLAY_LIMITS.messagesPerSecond, OVERLAY_LIMITS.burst),
    droppedReports: 0,
  });
  setNavigationPolicy(contents, {
    // The top level stays on the app (and the origins it may visit); its own frames may embed what they like.
    mainFrame: (url) => navigationAllowed(url, options.url, options.allowedOrigins),
    subframes: isWebUrl,
    onBlocked: (url) =>
      options.log?.(`Blocked navigation of the app window to ${url} (not the app's origin).`),
  });

  const showProblem = (problem: string) => {
    if (!contents.isDestroyed()) void contents.loadURL(loadFailurePage(options.url, problem)).catch(() => {});
  };
  contents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    // -3 (ERR_ABORTED): another navigation replaced this one; nothing failed.
    if (!isMainFrame || code === -3 || url.startsWith('data:')) return;
    showProblem(`${url} did not load: ${description || `error ${code}`}.`);
  });
  contents.on('render-process-gone', (_event, details) => {
    showProblem(`The page's renderer stopped (${details.reason}).`);
  });

  const capture = attachNetworkCapture(contents, {
    isBackend: backendUrlMatcher(options.apiUrls ?? []),
    record: (exchange, context) => {
      const item = options.hub.record({ source: 'window', exchange, pageUrl: context.pageUrl });
      // The page sees its own request (the proxy's sighting names the backend's URL) with the request's one verdict.
      const own = item.sightings.find((s) => s.source === 'window')?.exchange ?? item.exchange;
      const visible = pageVisibleExchange(own, context);
      if (!visible || contents.isDestroyed()) return;
      const forPage: WindowTrafficItem = {
        seq: item.seq,
        exchange: visible,
        attribution: item.attribution,
        findings: item.findings,
        worst: item.worst,
      };
      contents.send(OVERLAY_IPC.traffic, forPage);
    },
    ...(options.log ? { log: options.log } : {}),
  });

  const id = contents.id;
  window.on('closed', () => {
    open.delete(id);
    capture.stop();
    if (!contents.isDestroyed()) contents.close();
  });
  // A failed load rejects here and is shown by did-fail-load.
  void contents.loadURL(options.url).catch(() => {});
  return { window, view, close: () => window.close() };
}
