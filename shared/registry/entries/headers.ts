import type { IdentifierEntry } from '../types.js';

interface HeaderOptions {
  secret?: boolean;
  notes?: string;
  shipped?: string;
  planDifference?: string;
}

/** Headers the JS SDK sends (docs/sdk-as-shipped.md §1): Title-Case, key headers lowercase. */
export const SENT_BY_SDK = new Set([
  'override-error-status',
  'project-id',
  'access-type',
  'client-version',
  'access-token',
  'refresh-token',
  'allow-anonymous-user',
  'publishable-client-key',
  'admin-access-token',
  'random-nonce',
  'secret-server-key',
  'super-secret-admin-key',
]);

/** Request headers: the backend dual-accepts (normalizing hexclave → stack), new SDKs emit the hexclave name. */
function requestHeader(suffix: string, concept: string, options: HeaderOptions = {}): IdentifierEntry {
  const shipped = SENT_BY_SDK.has(suffix)
    ? '@stackframe/js 2.8.108 sends only the hexclave name (no x-stack-* fallback at all); 2.8.102 sends only the stack name.'
    : 'Neither SDK version sends it.';
  return {
    shipped,
    id: `header.${suffix}`,
    category: 'request-header',
    concept,
    old: `x-stack-${suffix}`,
    new: `x-hexclave-${suffix}`,
    policy: 'dual-accept',
    sides: ['backend', 'sdk'],
    specRef: 'hexclave-rename.md §2',
    ...options,
  };
}

/** Response headers: the backend emits both names with equal values; new SDKs read the hexclave name first. */
function responseHeader(suffix: string, concept: string, options: HeaderOptions = {}): IdentifierEntry {
  return {
    id: `header.${suffix}`,
    category: 'response-header',
    concept,
    old: `x-stack-${suffix}`,
    new: `x-hexclave-${suffix}`,
    policy: 'dual-emit',
    sides: ['backend', 'sdk'],
    specRef: 'hexclave-rename.md §3',
    ...options,
  };
}

export const HEADER_ENTRIES: readonly IdentifierEntry[] = [
  requestHeader('access-token', 'User access token (JWT)', { secret: true }),
  requestHeader('refresh-token', 'User refresh token', { secret: true }),
  requestHeader('project-id', 'Project id'),
  requestHeader('access-type', 'Access type: client | server | admin'),
  requestHeader('api-key', 'Customer-defined API key header (docs example only)', {
    secret: true,
    notes: 'Parsed nowhere by the backend; appears only in docs examples (stack-protocol.md §1.2).',
  }),
  requestHeader('request-type', 'Legacy request type (dashboard CORS list only)'),
  requestHeader('publishable-client-key', 'Publishable client key (pck_…)', { secret: true }),
  requestHeader('secret-server-key', 'Secret server key (ssk_…)', { secret: true }),
  requestHeader('super-secret-admin-key', 'Super secret admin key (sak_…)', { secret: true }),
  requestHeader('admin-access-token', 'Internal-project admin access token', { secret: true }),
  requestHeader('branch-id', 'Branch id (default main)'),
  requestHeader('allow-anonymous-user', 'Accept anonymous users ("true")'),
  requestHeader('allow-restricted-user', 'Accept restricted users ("true")'),
  requestHeader('client-version', 'SDK version label, e.g. "js @stackframe/js@2.8.108"'),
  requestHeader('development-override-key', 'Development key override (internal sak)', { secret: true }),
  requestHeader('override-error-status', 'Ask the backend to turn 4xx into 200 + actual-status', {
    notes: 'A request header: the real status comes back in the actual-status response header.',
  }),
  requestHeader('disable-artificial-development-delay', 'Skip the dev-only artificial delay'),
  requestHeader('development-disable-extended-logging', 'Suppress dev request logging'),
  requestHeader('random-nonce', 'Per-request cache buster'),
  requestHeader('bulldozer-studio-token', 'Dev-only studio token', { secret: true }),
  responseHeader('request-id', 'Request id (16-char lowercase Crockford base32), on every response', {
    notes:
      'Emit-only: no SDK reads it. Not in the upstream expose list, so browsers cannot read it cross-origin.',
  }),
  responseHeader('actual-status', 'Real status when override-error-status turned a 4xx into 200', {
    shipped:
      '2.8.108 reads x-hexclave-actual-status first, then x-stack-actual-status; 2.8.102 reads only the stack name.',
  }),
  responseHeader('known-error', 'KnownError code; must equal the body code', {
    shipped:
      '2.8.108 reads the hexclave name first and asserts (hexclave ?? stack) === body.code; 2.8.102 reads only the stack name.',
  }),
  {
    id: 'header.auth',
    category: 'sdk-auth-header',
    concept: 'SDK-to-customer-backend auth JSON {accessToken, refreshToken}',
    old: 'x-stack-auth',
    new: null,
    policy: 'frozen',
    sides: ['sdk'],
    specRef: 'hexclave-rename.md §4',
    secret: true,
    notes:
      'SDK-internal: produced by getAuthHeaders() for the developer’s own backend; the Stack backend never reads it. No x-hexclave-auth will exist.',
    shipped: 'Unchanged in 2.8.108: still produced, still parsed after the Authorization header.',
  },
];
