import type { ApiHandlers } from '../dispatcher.js';
import { appHandlers } from './app.js';
import { checkHandlers } from './check.js';
import type { AppContext } from './context.js';
import { mailHandlers } from './mail.js';
import { mcpHandlers } from './mcp.js';
import { mirrorHandlers } from './mirror.js';
import { projectHandlers } from './projects.js';
import { scanHandlers } from './scan.js';
import { syncHandlers } from './sync.js';
import { trafficHandlers } from './traffic.js';

export type { AppContext } from './context.js';

/** The main-side implementation of every call in shared/api/contract.ts, one file per capability. */
export function createHandlers(context: AppContext): ApiHandlers {
  return {
    ...appHandlers(context),
    ...projectHandlers(context),
    ...syncHandlers(context),
    ...checkHandlers(context),
    ...trafficHandlers(context),
    ...mirrorHandlers(context),
    ...mcpHandlers(context),
    ...scanHandlers(context),
    ...mailHandlers(context),
  };
}
