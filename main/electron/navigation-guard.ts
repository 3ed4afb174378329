import type { App, WebContents } from 'electron';

/** Where one web contents may navigate. A web contents without a policy may not navigate at all. */
export interface NavigationPolicy {
  /** URLs the main frame may load (links, `location`, server redirects). */
  readonly mainFrame: (url: string) => boolean;
  /** URLs subframes may load (default: the main frame's rule). */
  readonly subframes?: (url: string) => boolean;
  /** Told about every refused navigation or redirect. */
  readonly onBlocked?: (url: string) => void;
}

interface NavigationDetails {
  readonly url: string;
  readonly isMainFrame: boolean;
  preventDefault(): void;
}

const policies = new WeakMap<WebContents, NavigationPolicy>();
const guarded = new WeakSet<WebContents>();

function check(contents: WebContents, details: NavigationDetails): void {
  const policy = policies.get(contents);
  const rule = details.isMainFrame ? policy?.mainFrame : (policy?.subframes ?? policy?.mainFrame);
  if (rule?.(details.url)) return;
  details.preventDefault();
  policy?.onBlocked?.(details.url);
}

/**
 * Electron security checklist 13–14 on one web contents: navigations and server redirects of every frame checked
 * against its policy (the event's `url`, not the deprecated positional argument), no new windows, no <webview>.
 */
export function guardWebContents(contents: WebContents): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  contents.on('will-navigate', (details) => check(contents, details));
  contents.on('will-frame-navigate', (details) => check(contents, details));
  contents.on('will-redirect', (details) => check(contents, details));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Give `contents` its policy (and the guard, if the app-wide one has not already set it). */
export function setNavigationPolicy(contents: WebContents, policy: NavigationPolicy): void {
  policies.set(contents, policy);
  guardWebContents(contents);
}

/** App-wide: every web contents the app ever creates is guarded from birth, including ones we did not make. */
export function guardAllWebContents(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}
