import type { IdentifierEntry } from '../types.js';

function param(
  id: string,
  old: string,
  concept: string,
  extra: Partial<IdentifierEntry> = {},
): IdentifierEntry {
  return {
    id: `param.${id}`,
    category: 'query-param',
    concept,
    old,
    new: old.replace(/^stack/, 'hexclave'),
    policy: 'dual-accept',
    sides: ['sdk'],
    specRef: 'hexclave-rename.md §8',
    ...extra,
  };
}

/** As shipped, the cross-domain handoff switched families outright: hexclave_ only, written and read. */
function crossDomain(id: string, old: string, concept: string): IdentifierEntry {
  return param(id, old, concept, {
    policy: 'rename-outright',
    shipped:
      '2.8.108 writes and reads only the hexclave_ name (no stack_ fallback); 2.8.102 only the stack_ name, so a handoff between the two SDK versions loses its state.',
    planDifference: 'Plan: dual-accept — write both param sets into the redirect URL and accept either.',
  });
}

/** As shipped, the nested handoff params were not renamed at all. */
function nested(id: string, old: string, what: string): IdentifierEntry {
  const planned = old.replace(/^stack/, 'hexclave');
  return param(id, old, `Nested cross-domain handoff: ${what}`, {
    new: null,
    policy: 'frozen',
    shipped: '2.8.108 still writes and reads only the stack_ name; both SDK versions agree.',
    planDifference: `Plan: a ${planned} twin, dual-accepted.`,
  });
}

export const QUERY_PARAM_ENTRIES: readonly IdentifierEntry[] = [
  param('response-mode', 'stack_response_mode', 'OAuth authorize response mode: json | redirect (default)', {
    sides: ['backend', 'sdk'],
    notes:
      'The only query param the backend parses; it must accept both and prefer the new one. Dropping it silently falls back to redirect mode.',
    shipped: '2.8.108 sends hexclave_response_mode=json and stack_response_mode=json (both, new first).',
  }),
  crossDomain('cross-domain-auth', 'stack_cross_domain_auth', 'Cross-domain handoff marker ("1")'),
  crossDomain('cross-domain-state', 'stack_cross_domain_state', 'Cross-domain handoff state'),
  crossDomain(
    'cross-domain-code-challenge',
    'stack_cross_domain_code_challenge',
    'Cross-domain PKCE challenge',
  ),
  crossDomain(
    'cross-domain-after-callback-redirect-url',
    'stack_cross_domain_after_callback_redirect_url',
    'Cross-domain post-callback redirect',
  ),
  nested(
    'nested-cross-domain-refresh-token-id',
    'stack_nested_cross_domain_auth_refresh_token_id',
    'refresh token id',
  ),
  nested('nested-cross-domain-callback-url', 'stack_nested_cross_domain_auth_callback_url', 'callback URL'),
  param('init-id', 'stack-init-id', 'Init wizard analytics id (hyphenated)', {
    sides: ['cli', 'dashboard'],
    notes: 'Keeps its hyphen. The dashboard reads either; the new init CLI emits the new name.',
  }),
];
