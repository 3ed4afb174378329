import type { Workspace } from '../../workspace/index.js';

export interface AppContext {
  readonly version: string;
  readonly mode: 'electron' | 'serve';
  readonly modeReason: string | null;
  readonly workspace: Workspace;
  /** Desktop only: open the developer's app in a wrapped window with the overlay and CDP capture. */
  readonly openAppWindow?: (project: string, url: string) => void;
  /** Serve mode: URL of the overlay script this companion serves (known once it listens). */
  readonly overlayScriptUrl?: () => string | null;
}
