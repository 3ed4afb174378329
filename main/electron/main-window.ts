import { BrowserWindow, dialog } from 'electron';
import type { EventPayload } from '../../shared/api/index.js';
import type { EventBus } from '../api/index.js';
import { forwardEvents } from './ipc.js';
import { lockNavigation, secureWebPreferences } from './security.js';

export type NavigationTarget = EventPayload<'app.navigate'>;

export interface MainWindowOptions {
  /** The UI's entry: the app scheme's index.html, or a dev server. */
  readonly entryUrl: string;
  readonly preload: string;
  readonly isAppUrl: (url: string) => boolean;
  readonly events: EventBus;
}

/**
 * The companion's one window. `show()` brings back the window that exists or makes a new one (macOS keeps the app
 * running with none), so callers never hold a destroyed window. A UI that does not load says why in a dialog.
 */
export class MainWindow {
  private window: BrowserWindow | null = null;

  constructor(private readonly options: MainWindowOptions) {}

  /** The live window, if there is one. */
  get current(): BrowserWindow | null {
    return this.window && !this.window.isDestroyed() ? this.window : null;
  }

  /** Show the window, on `target` (a project's screen) or where it is. */
  async show(target?: NavigationTarget): Promise<BrowserWindow> {
    const existing = this.current;
    if (existing) {
      if (target) this.options.events.publish('app.navigate', target);
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return existing;
    }
    return this.create(target);
  }

  private async create(target?: NavigationTarget): Promise<BrowserWindow> {
    const window = new BrowserWindow({
      width: 1280,
      height: 820,
      title: 'Hexclave Companion',
      show: false,
      webPreferences: secureWebPreferences(this.options.preload),
    });
    this.window = window;
    lockNavigation(window, this.options.isAppUrl);
    const stopForwarding = forwardEvents(this.options.events, window.webContents);
    window.on('closed', () => {
      stopForwarding();
      if (this.window === window) this.window = null;
    });
    window.once('ready-to-show', () => window.show());
    window.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
      if (!isMainFrame || code === -3) return;
      dialog.showErrorBox(
        'Hexclave Companion could not show its window',
        `${url} did not load: ${description || `error ${code}`}. If you run from a checkout, \`npm run build\` makes the UI.`,
      );
    });
    window.webContents.on('render-process-gone', (_event, details) => {
      if (details.reason === 'clean-exit' || window.isDestroyed()) return;
      dialog.showErrorBox(
        'Hexclave Companion’s window stopped',
        `Its renderer exited (${details.reason}); the window reloads.`,
      );
      window.webContents.reload();
    });
    // The UI subscribes to events while its scripts run, before the load finishes.
    if (target) {
      window.webContents.once('did-finish-load', () => this.options.events.publish('app.navigate', target));
    }
    // A failure is shown by did-fail-load.
    await window.loadURL(this.options.entryUrl).catch(() => {});
    return window;
  }
}
