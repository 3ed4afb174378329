import { IDENTIFIERS, searchIdentifiers } from '../../../shared/registry/index.js';
import type { ApiHandlers } from '../dispatcher.js';
import type { AppContext } from './context.js';

export function appHandlers(context: AppContext): Pick<ApiHandlers, 'app.info' | 'registry.search'> {
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
