import type { EmulatorContext } from '../context.js';
import type { ProjectRecord, Tenancy } from '../domain/projects/index.js';
import type { VerifiedAccessToken } from '../domain/sessions/index.js';
import type { UserRecord } from '../domain/users/index.js';
import type { AccessType } from '../errors/index.js';

/** A request's parsed authentication (upstream's SmartRequestAuth). */
export interface RequestAuth {
  readonly type: AccessType;
  readonly project: ProjectRecord;
  /** The tenancy of the requested branch, with its rendered configuration. */
  readonly tenancy: Tenancy;
  readonly projectId: string;
  readonly branchId: string;
  readonly tenancyId: string;
  readonly token: VerifiedAccessToken | null;
  /** The token's user; null without a token, or when the user was deleted since the token was issued. */
  readonly user: UserRecord | null;
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
