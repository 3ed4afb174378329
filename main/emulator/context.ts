import type pg from 'pg';
import type { CompatMode } from './compat.js';
import type { MailService } from './domain/mail/index.js';
import type { EmulatorProject, ProjectDirectory } from './domain/projects/index.js';
import type { TokenService } from './domain/sessions/index.js';

export type { CompatMode } from './compat.js';

/** Everything a route needs, built once per running emulator (no module state, so two emulators can coexist). */
export interface EmulatorContext {
  readonly pool: pg.Pool;
  readonly compat: CompatMode;
  /** The project the ready line announces for apps; requests may address any project in the database. */
  readonly project: EmulatorProject;
  /** The `internal` project: the dashboard's, whose users manage projects with admin access tokens. */
  readonly internalProject: EmulatorProject;
  readonly projects: ProjectDirectory;
  readonly tokens: TokenService;
  readonly mail: MailService;
  /** Public base URL of this emulator, e.g. http://127.0.0.1:8102 (no trailing slash). */
  readonly apiUrl: string;
  readonly log: (line: string) => void;
}
