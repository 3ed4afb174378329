import { IDENTIFIERS, searchIdentifiers } from '../../shared/registry/index.js';
import type { ApiHandlers } from './dispatcher.js';

export interface AppContext {
  readonly version: string;
  readonly mode: 'electron' | 'serve';
  readonly modeReason: string | null;
}

/** The main-side implementation of every call in shared/api/contract.ts. */
export function createHandlers(context: AppContext): ApiHandlers {
  return {
    'app.info': async () => ({
      version: context.version,
      mode: context.mode,
      modeReason: context.modeReason,
      identifierCount: IDENTIFIERS.length,
    }),
    'registry.search': async ({ query, category, policy }) => {
      const entries = searchIdentifiers(query, { category, policy });
      return { total: entries.length, entries };
    },
  };
}
