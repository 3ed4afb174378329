import type pg from 'pg';
import type { TokenService } from './auth/tokens.js';
import type { EmulatorProject } from './db/index.js';
import type { RequestAuth } from './wire/smart-request.js';

export type CompatMode = 'dual' | 'legacy';

/** Everything a route needs, built once per running emulator (no module state, so two emulators can coexist). */
export interface EmulatorContext {
  readonly pool: pg.Pool;
  readonly compat: CompatMode;
  /** The project the ready line announces; requests may address any project in the database. */
  readonly project: EmulatorProject;
  readonly tokens: TokenService;
  /** Public base URL of this emulator, e.g. http://127.0.0.1:8102 (no trailing slash). */
  readonly apiUrl: string;
  readonly log: (line: string) => void;
}

/** Hono environment: per-request values set by the wire middleware. */
export interface EmulatorEnv {
  Variables: {
    ctx: EmulatorContext;
    requestId: string;
    /** Lower-cased request headers after the compat mode's normalization (stack names only). */
    headers: Record<string, string>;
    /** Parsed smart-request auth; null when the request named no access type. */
    auth: RequestAuth | null;
  };
}
