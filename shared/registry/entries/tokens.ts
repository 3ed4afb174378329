import type { IdentifierEntry } from '../types.js';

function issuer(id: string, concept: string, pathSegment: string): IdentifierEntry {
  return {
    id,
    category: 'jwt-issuer',
    concept,
    old: `https://api.stack-auth.com/api/v1/${pathSegment}/{projectId}`,
    new: `https://api.hexclave.com/api/v1/${pathSegment}/{projectId}`,
    policy: 'dual-accept',
    sides: ['backend', 'sdk'],
    specRef: 'hexclave-rename.md §6',
    notes:
      'The validator accepts both hosts indefinitely; signing uses the host the API is served from. Self-hosted and local backends sign with their configured base URL.',
    shipped:
      'Neither SDK validates iss; the default API URL stays https://api.stack-auth.com and the Convex helper lists no hexclave issuer.',
    planDifference: 'Plan: the Convex provider config exposes the new issuers by default.',
  };
}

export const TOKEN_ENTRIES: readonly IdentifierEntry[] = [
  {
    id: 'bearer.prefix',
    category: 'bearer-prefix',
    concept: 'Authorization value the SDK hands to the developer’s own backend: Bearer <prefix><base64 JSON>',
    old: 'stackauth_',
    new: 'hexclave_',
    policy: 'dual-accept',
    sides: ['sdk'],
    specRef: 'hexclave-rename.md §4',
    secret: true,
    notes: 'SDK-only: the Stack backend never parses it, so an emulator must ignore it.',
    shipped:
      '2.8.108 still emits Bearer stackauth_<base64> and parses hexclave_ first, then stackauth_; a 2.8.102 server silently ignores Bearer hexclave_… (treats the request as signed out).',
    planDifference: 'Plan: new SDKs emit hexclave_.',
  },
  issuer('jwt.issuer', 'Access-token issuer for normal users', 'projects'),
  issuer('jwt.issuer-anonymous', 'Access-token issuer for anonymous users', 'projects-anonymous-users'),
  issuer('jwt.issuer-restricted', 'Access-token issuer for restricted users', 'projects-restricted-users'),
  {
    id: 'jwt.audience',
    category: 'jwt-audience',
    concept: 'Access-token audience: <projectId>, <projectId>:anon or <projectId>:restricted',
    old: '{projectId}',
    new: null,
    policy: 'out-of-scope',
    sides: ['backend'],
    specRef: 'stack-protocol.md §5',
    notes: 'Carries no brand; unchanged by the rename.',
  },
  {
    id: 'jwt.idp-audience',
    category: 'jwt-audience',
    concept: 'IdP JWK audience',
    old: 'https://idp-jwk-audience.stack-auth.com/{idpId}',
    new: 'https://idp-jwk-audience.hexclave.com/{idpId}',
    policy: 'dual-accept',
    sides: ['backend'],
    specRef: 'hexclave-rename.md §6',
    notes: 'Existing rows keep the old audience; new configs use the new one.',
  },
  {
    id: 'oauth.public-client-sentinel',
    category: 'query-param',
    concept: 'OAuth client_secret meaning “no publishable key”',
    old: '__stack_public_client__',
    new: null,
    policy: 'frozen',
    sides: ['sdk', 'backend'],
    specRef: 'stack-protocol.md §1.3',
    notes: 'Not mentioned by the rename plan; a wire value both generations must keep sending and accepting.',
  },
];
