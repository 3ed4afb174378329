// Types and the error class only: the mirror's database code (pg) is loaded when a live fact is actually read.
import type { MirrorSettings } from '../main/mirror/connection.js';
import { MirrorQueryError } from '../main/mirror/errors.js';
import type { MirrorFreshness } from '../main/mirror/freshness.js';
import type { McpServerConfig } from './config.js';
import type { KnowledgeBase } from './knowledge/index.js';
import type { Logger } from './log.js';

/** The backend's class as the last compatibility check in this session saw it. */
export interface BackendCheckFact {
  readonly backendClass: string;
  readonly checkedAt: string;
  readonly apiUrl: string;
}

/** Facts read from this machine when a question is asked; kept apart from the deterministic answer. */
export interface LiveFacts {
  readonly mirror: (MirrorFreshness & { readonly error?: undefined }) | { readonly error: string } | null;
  readonly backend: BackendCheckFact | null;
}

export interface ServerContext {
  readonly config: McpServerConfig;
  readonly knowledge: KnowledgeBase;
  readonly log: Logger;
  /** The mirror settings, or a clear error naming the flag and variable to set. */
  requireMirror(): MirrorSettings;
  /** Live facts; the mirror is read (one short connection) only when `mirror` is true. */
  liveFacts(options: { mirror: boolean }): Promise<LiveFacts | null>;
  recordBackendCheck(fact: BackendCheckFact): void;
}

export function createContext(config: McpServerConfig, knowledge: KnowledgeBase, log: Logger): ServerContext {
  let lastCheck: BackendCheckFact | null = null;
  return {
    config,
    knowledge,
    log,
    requireMirror() {
      if (!config.mirror) {
        throw new MirrorQueryError(
          'not-configured',
          'No mirror database is configured: start the server with --mirror-database-url postgres://… (or set HEXCLAVE_MIRROR_DATABASE_URL, STACK_MIRROR_DATABASE_URL also works).',
        );
      }
      return config.mirror;
    },
    async liveFacts(options) {
      const readMirror = options.mirror && config.mirror !== null;
      if (!readMirror && !lastCheck) return null;
      let mirror: LiveFacts['mirror'] = null;
      if (readMirror && config.mirror) {
        // A short connect timeout: an unreachable mirror must not hold up the answer.
        const { readMirrorFreshness } = await import('../main/mirror/freshness.js');
        mirror = await readMirrorFreshness({ ...config.mirror, connectTimeoutMs: 2000 }).catch(
          (error: unknown) => ({
            error: error instanceof Error ? error.message : String(error),
          }),
        );
      }
      return { mirror, backend: lastCheck };
    },
    recordBackendCheck(fact) {
      lastCheck = fact;
    },
  };
}
