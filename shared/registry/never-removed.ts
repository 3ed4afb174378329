import type { Category, IdentifierEntry } from './types.js';

/**
 * Old names the plan keeps for good (hexclave-rename.md §19, PR 3 "Never removed"): `x-stack-*` request and
 * response headers, `Bearer stackauth_*`, `x-stack-auth`, the stack-auth.com issuers and IdP audience, the JS
 * `Stack*` exports, the OAuth state cookies, the mobile OAuth scheme, the `stack.config.ts` fallback,
 * `api.stack-auth.com` and the `@stackframe/*` packages (never unpublished).
 */
const KEPT_CATEGORIES: ReadonlySet<Category> = new Set([
  'request-header',
  'response-header',
  'bearer-prefix',
  'sdk-auth-header',
  'jwt-issuer',
  'url-scheme',
  'npm-package',
]);
const KEPT_IDS: ReadonlySet<string> = new Set([
  'jwt.idp-audience',
  'cookie.oauth-inner',
  'cookie.oauth-outer',
  'config.file',
  'config.file-js',
  'host.api',
]);

export function oldNameKeptIndefinitely(entry: IdentifierEntry): boolean {
  if (entry.new === null) return false;
  if (entry.category === 'sdk-export') return entry.policy === 'dual-accept';
  return KEPT_CATEGORIES.has(entry.category) || KEPT_IDS.has(entry.id);
}
