import type { Context, MiddlewareHandler } from 'hono';
import { identifier } from '../../../shared/registry/index.js';
import { type KeyKind, lookupProject, type ProjectLookup } from '../auth/projects.js';
import type { VerifiedAccessToken } from '../auth/tokens.js';
import type { EmulatorEnv } from '../context.js';
import { EMULATOR_PROJECT_CONFIG } from '../project-config.js';
import { findUser } from '../users/queries.js';
import type { UserRecord } from '../users/record.js';
import { type AccessType, knownError } from './known-errors.js';
import { readHeader } from './wire-headers.js';

export interface RequestAuth {
  readonly type: AccessType;
  readonly projectId: string;
  readonly projectDisplayName: string;
  readonly branchId: string;
  readonly tenancyId: string;
  readonly token: VerifiedAccessToken | null;
  /** The token's user; null without a token, or when the user was deleted since the token was issued. */
  readonly user: UserRecord | null;
}

const ACCESS_TYPES: readonly AccessType[] = ['client', 'server', 'admin'];
const NO_KEY_SENTINEL = identifier('oauth.public-client-sentinel').old;
const DEFAULT_BRANCH = 'main';
const PROJECT_CACHE_MS = 1000;
const PROJECT_CACHE_LIMIT = 1000;

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

function checkKey(type: AccessType, provided: boolean, valid: boolean, projectId: string): void {
  if (type === 'client') {
    if (!provided && EMULATOR_PROJECT_CONFIG.requirePublishableClientKey) {
      throw knownError('PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT', projectId);
    }
    if (provided && !valid) throw knownError('INVALID_PUBLISHABLE_CLIENT_KEY', projectId);
  } else if (type === 'server') {
    if (!provided) throw knownError('SERVER_AUTHENTICATION_REQUIRED');
    if (!valid) throw knownError('INVALID_SECRET_SERVER_KEY', projectId);
  } else {
    if (!provided) throw knownError('ADMIN_AUTHENTICATION_REQUIRED');
    if (!valid) throw knownError('INVALID_SUPER_SECRET_ADMIN_KEY', projectId);
  }
}

async function verifyToken(c: Context<EmulatorEnv>, projectId: string): Promise<VerifiedAccessToken | null> {
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

/** Upstream's parseAuth, in its order of checks (stack-protocol.md §1.3). */
type Lookup = (
  projectId: string,
  branchId: string,
  key?: { kind: KeyKind; value: string },
) => Promise<ProjectLookup | null>;

/**
 * Project + key checks for one second per (project, branch, key): a busy client repeats the same headers on every
 * request. A key revoked with plain SQL is therefore refused at most a second later.
 */
function cachedLookup(
  c: Context<EmulatorEnv>,
  cache: Map<string, { at: number; value: Promise<ProjectLookup | null> }>,
): Lookup {
  return (projectId, branchId, key) => {
    const cacheKey = [projectId, branchId, key?.kind ?? '', key?.value ?? ''].join('\u0000');
    const hit = cache.get(cacheKey);
    if (hit && Date.now() - hit.at < PROJECT_CACHE_MS) return hit.value;
    if (cache.size >= PROJECT_CACHE_LIMIT) cache.clear();
    const value = lookupProject(c.var.ctx.pool, projectId, branchId, key);
    // A failed lookup (e.g. the database is down) is not remembered.
    value.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, { at: Date.now(), value });
    return value;
  };
}

async function parseAuth(c: Context<EmulatorEnv>, lookup: Lookup): Promise<RequestAuth | null> {
  const rawType = header(c, 'header.access-type');
  if (rawType === undefined) {
    const keyIds = [
      'publishable-client-key',
      'secret-server-key',
      'super-secret-admin-key',
      'admin-access-token',
    ];
    if (keyIds.some((id) => header(c, `header.${id}`) !== undefined))
      throw knownError('PROJECT_KEY_WITHOUT_ACCESS_TYPE');
    return null;
  }
  if (!ACCESS_TYPES.includes(rawType as AccessType)) throw knownError('INVALID_ACCESS_TYPE', rawType);
  const type = rawType as AccessType;
  const projectId = header(c, 'header.project-id');
  if (!projectId) throw knownError('ACCESS_TYPE_WITHOUT_PROJECT_ID', type);
  const token = await verifyToken(c, projectId);
  const branchId = header(c, 'header.branch-id') ?? DEFAULT_BRANCH;
  const key = keyFor(type, c);
  const project = await lookup(projectId, branchId, key);
  if (!project) throw knownError('CURRENT_PROJECT_NOT_FOUND', projectId);
  checkKey(type, key !== undefined, project.keyValid, projectId);
  if (!project.tenancyId) throw knownError('BRANCH_DOES_NOT_EXIST', branchId);
  const user = token ? await findUser(c.var.ctx.pool, project.tenancyId, token.userId) : null;
  return {
    type,
    projectId,
    projectDisplayName: project.displayName,
    branchId,
    tenancyId: project.tenancyId,
    token,
    user,
  };
}

export function smartRequest(): MiddlewareHandler<EmulatorEnv> {
  const cache = new Map<string, { at: number; value: Promise<ProjectLookup | null> }>();
  return async function smartAuth(c, next) {
    c.set('auth', await parseAuth(c, cachedLookup(c, cache)));
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
