import type pg from 'pg';
import type { CompatMode } from './compat.js';
import type { MailService } from './domain/mail/index.js';
import type { IdentityProviderEndpoint } from './domain/oauth/index.js';
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
  /** Base URL this emulator listens on, e.g. http://127.0.0.1:8102 (no trailing slash). */
  readonly apiUrl: string;
  /**
   * Where browsers reach it (upstream's NEXT_PUBLIC_STACK_API_URL): `--issuer-base`, else `apiUrl`. OAuth
   * callback URLs are built on it.
   */
  readonly publicUrl: string;
  /** Public base URL of stored images, the bucket included (upstream's `<S3 endpoint>/stack-storage`). */
  readonly storageUrl: string;
  /** The identity provider every OAuth provider of every project is served by. */
  readonly identityProvider: IdentityProviderEndpoint;
  readonly log: (line: string) => void;
}
