import { allRequestHeaderNames, allResponseHeaderNames } from './headers.js';
import { identifier } from './table.js';

/** Which backend generation a CORS list belongs to: before the rename (`legacy`) or with its compat layer (`dual`). */
export type BackendGeneration = 'legacy' | 'dual';

// Upstream apps/backend/src/proxy.tsx corsAllowedRequestHeaders, in its order: names outside the rename stay
// literal, x-stack-* names are registry ids so the list can never drift from the table.
const UPSTREAM_ALLOWED_REQUEST_HEADERS: readonly (string | { readonly id: string })[] = [
  'content-type',
  'authorization',
  { id: 'header.project-id' },
  { id: 'header.branch-id' },
  { id: 'header.override-error-status' },
  { id: 'header.random-nonce' },
  { id: 'header.client-version' },
  { id: 'header.disable-artificial-development-delay' },
  { id: 'header.access-type' },
  { id: 'header.publishable-client-key' },
  { id: 'header.secret-server-key' },
  { id: 'header.super-secret-admin-key' },
  { id: 'header.admin-access-token' },
  { id: 'header.refresh-token' },
  { id: 'header.access-token' },
  { id: 'header.allow-anonymous-user' },
  'baggage',
  'sentry-trace',
  'x-vercel-protection-bypass',
  'ngrok-skip-browser-warning',
];

// Upstream corsAllowedResponseHeaders: the request id is deliberately not exposed today.
const UPSTREAM_EXPOSED_RESPONSE_HEADERS: readonly (string | { readonly id: string })[] = [
  'content-type',
  { id: 'header.actual-status' },
  { id: 'header.known-error' },
];

function stackNames(list: readonly (string | { readonly id: string })[]): string[] {
  return list.map((item) => (typeof item === 'string' ? item : identifier(item.id).old));
}

function withoutRenamedHeaders(list: readonly (string | { readonly id: string })[]): string[] {
  return list.filter((item): item is string => typeof item === 'string');
}

/**
 * Access-Control-Allow-Headers of the backend. Legacy: exactly today's upstream list. Dual: the rename spec's
 * rule (hexclave-rename.md §2, "every old and new header name must appear") — all registry request-header pairs
 * plus upstream's non-renamed names.
 */
export function corsAllowedRequestHeaders(generation: BackendGeneration): string[] {
  if (generation === 'legacy') return stackNames(UPSTREAM_ALLOWED_REQUEST_HEADERS);
  const [contentType, authorization, ...others] = withoutRenamedHeaders(UPSTREAM_ALLOWED_REQUEST_HEADERS);
  return [contentType!, authorization!, ...allRequestHeaderNames(), ...others];
}

/** Access-Control-Expose-Headers: legacy exactly upstream's; dual every response-header pair of the registry. */
export function corsExposedResponseHeaders(generation: BackendGeneration): string[] {
  if (generation === 'legacy') return stackNames(UPSTREAM_EXPOSED_RESPONSE_HEADERS);
  return [...withoutRenamedHeaders(UPSTREAM_EXPOSED_RESPONSE_HEADERS), ...allResponseHeaderNames()];
}
