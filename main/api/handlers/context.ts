import type { Workspace } from '../../workspace/index.js';

export interface AppContext {
  readonly version: string;
  readonly mode: 'electron' | 'serve';
  readonly modeReason: string | null;
  readonly workspace: Workspace;
}
