import type { Context, MiddlewareHandler } from 'hono';
import { identifier } from '../../../shared/registry/index.js';
import {
  DEFAULT_BRANCH_ID,
  INTERNAL_PROJECT_ID,
  isManagedBy,
  type KeyKind,
  type ProjectLookup,
} from '../domain/projects/index.js';
import type { VerifiedAccessToken } from '../domain/sessions/index.js';
import { findUser } from '../domain/users/index.js';
import { type AccessType, KnownError, knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv, RequestAuth } from './env.js';
import { readHeader } from './wire-headers.js';

export type { RequestAuth } from './env.js';

const ACCESS_TYPES: readonly AccessType[] = ['client', 'server', 'admin'];
const NO_KEY_SENTINEL = identifier('oauth.public-client-sentinel').old;
const KEY_HEADERS = [
  'publishable-client-key',
  'secret-server-key',
  'super-secret-admin-key',
  'admin-access-token',
];

/** A header value, treating the empty string the SDK sends for a missing key as absent. */
function header(c: Context<EmulatorEnv>, id: string): string | undefined {
  const value = readHeader(c, id);
  return value === '' ? undefined : value;
}

function keyFor(type: AccessType, c: Context<EmulatorEnv>): { kind: KeyKind; value: string } | undefined {
  const [kind, id]: [KeyKind, string] =
    type === 'client'
      ? ['publishableClientKey', 'header.publishable-client-key']
      : type === 'server'
        ? ['secretServerKey', 'header.secret-server-key']
        : ['superSecretAdminKey', 'header.super-secret-admin-key'];
  const value = header(c, id);
  return value === undefined || value === NO_KEY_SENTINEL ? undefined : { kind, value };
}

function checkKey(type: AccessType, provided: boolean, project: ProjectLookup, projectId: string): void {
  if (type === 'client') {
    if (!provided && project.config.project.requirePublishableClientKey) {
      throw knownError('PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT', projectId);
    }
    if (provided && !project.keyValid) throw knownError('INVALID_PUBLISHABLE_CLIENT_KEY', projectId);
  } else if (type === 'server') {
    if (!provided) throw knownError('SERVER_AUTHENTICATION_REQUIRED');
    if (!project.keyValid) throw knownError('INVALID_SECRET_SERVER_KEY', projectId);
  } else {
    if (!provided) throw knownError('ADMIN_AUTHENTICATION_REQUIRED');
    if (!project.keyValid) throw knownError('INVALID_SUPER_SECRET_ADMIN_KEY', projectId);
  }
}

async function verifyUserToken(
  c: Context<EmulatorEnv>,
  projectId: string,
): Promise<VerifiedAccessToken | null> {
  const accessToken = header(c, 'header.access-token');
  if (!accessToken) return null;
  const token = await c.var.ctx.tokens.verify(accessToken);
  if (token.projectId !== projectId)
    throw knownError('INVALID_PROJECT_FOR_ACCESS_TOKEN', projectId, token.projectId);
  const allowAnonymous = header(c, 'header.allow-anonymous-user') === 'true';
  const allowRestricted = allowAnonymous || header(c, 'header.allow-restricted-user') === 'true';
  if (token.isAnonymous && !allowAnonymous) throw knownError('ANONYMOUS_AUTHENTICATION_NOT_ALLOWED');
  if (token.isRestricted && !token.isAnonymous && !allowRestricted) {
    throw knownError(
      'RESTRICTED_USER_NOT_ALLOWED',
      token.restrictedReason ?? { type: 'restricted_by_administrator' },
    );
  }
  return token;
}

/**
 * An admin access token is a dashboard user's access token (a user of the `internal` project). It stands in for
 * every key of the projects that user manages (upstream's extractUserFromAdminAccessToken).
 */
async function checkAdminAccessToken(c: Context<EmulatorEnv>, raw: string, projectId: string): Promise<void> {
  const { ctx } = c.var;
  let token: VerifiedAccessToken;
  try {
    token = await ctx.tokens.verify(raw);
  } catch (error) {
    if (error instanceof KnownError && error.code === 'ACCESS_TOKEN_EXPIRED') {
      const expired = error.details?.expired_at_millis;
      throw knownError('ADMIN_ACCESS_TOKEN_EXPIRED', typeof expired === 'number' ? new Date(expired) : null);
    }
    throw knownError('UNPARSABLE_ADMIN_ACCESS_TOKEN');
  }
  if (token.kind !== 'normal') throw knownError('UNPARSABLE_ADMIN_ACCESS_TOKEN');
  if (token.projectId !== INTERNAL_PROJECT_ID) throw knownError('ADMIN_ACCESS_TOKEN_IS_NOT_ADMIN');
  const internalTenancyId = ctx.internalProject.tenancyId;
  if (!(await findUser(ctx.pool, internalTenancyId, token.userId))) {
    throw new StatusError(
      401,
      'The user associated with the admin access token is no longer valid. Please refresh the admin access token and try again.',
    );
  }
  if (!(await isManagedBy(ctx.pool, projectId, internalTenancyId, token.userId))) {
    throw knownError('ADMIN_ACCESS_TOKEN_IS_NOT_ADMIN');
  }
}

/** Upstream's parseAuth, in its order of checks (stack-protocol.md §1.3). */
async function parseAuth(c: Context<EmulatorEnv>): Promise<RequestAuth | null> {
  const rawType = header(c, 'header.access-type');
  if (rawType === undefined) {
    if (KEY_HEADERS.some((id) => header(c, `header.${id}`) !== undefined))
      throw knownError('PROJECT_KEY_WITHOUT_ACCESS_TYPE');
    return null;
  }
  if (!ACCESS_TYPES.includes(rawType as AccessType)) throw knownError('INVALID_ACCESS_TYPE', rawType);
  const type = rawType as AccessType;
  const projectId = header(c, 'header.project-id');
  if (!projectId) throw knownError('ACCESS_TYPE_WITHOUT_PROJECT_ID', type);
  const token = await verifyUserToken(c, projectId);
  const branchId = header(c, 'header.branch-id') ?? DEFAULT_BRANCH_ID;
  const adminAccessToken = header(c, 'header.admin-access-token');
  const key = adminAccessToken ? undefined : keyFor(type, c);
  const project = await c.var.ctx.projects.lookup(projectId, branchId, key);
  if (!project) throw knownError('CURRENT_PROJECT_NOT_FOUND', projectId);
  if (adminAccessToken) await checkAdminAccessToken(c, adminAccessToken, projectId);
  else checkKey(type, key !== undefined, project, projectId);
  if (!project.tenancyId) throw knownError('BRANCH_DOES_NOT_EXIST', branchId);
  const user = token ? await findUser(c.var.ctx.pool, project.tenancyId, token.userId) : null;
  const tenancy = { projectId, branchId, tenancyId: project.tenancyId, config: project.config };
  return {
    type,
    project: project.project,
    tenancy,
    projectId,
    branchId,
    tenancyId: tenancy.tenancyId,
    token,
    user,
  };
}

export function smartRequest(): MiddlewareHandler<EmulatorEnv> {
  return async function smartAuth(c, next) {
    c.set('auth', await parseAuth(c));
    await next();
  };
}

/** The request's auth, or upstream's error when it is missing or its access type is too weak for the route. */
export function requireAccess(
  c: Context<EmulatorEnv>,
  allowed: readonly AccessType[] = ACCESS_TYPES,
): RequestAuth {
  const auth = c.var.auth;
  if (!auth) throw knownError('ACCESS_TYPE_REQUIRED');
  if (!allowed.includes(auth.type)) throw knownError('INSUFFICIENT_ACCESS_TYPE', auth.type, allowed);
  return auth;
}

export const SERVER_ACCESS: readonly AccessType[] = ['server', 'admin'];
export const ADMIN_ACCESS: readonly AccessType[] = ['admin'];
