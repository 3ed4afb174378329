import { entriesOf } from './table.js';
import { fillTemplate, matchTemplate } from './template.js';
import type { Family } from './types.js';

export type IssuerKind = 'normal' | 'anonymous' | 'restricted';

export interface AcceptedIssuer {
  readonly url: string;
  readonly kind: IssuerKind;
  /** `stack` / `hexclave` for the hosted domains, `custom` for a self-hosted or local base URL. */
  readonly host: Family | 'custom';
}

const KIND_BY_ID: Record<string, IssuerKind> = {
  'jwt.issuer': 'normal',
  'jwt.issuer-anonymous': 'anonymous',
  'jwt.issuer-restricted': 'restricted',
};
const ISSUERS = entriesOf('jwt-issuer');

export const AUDIENCE_SUFFIX: Record<IssuerKind, string> = {
  normal: '',
  anonymous: ':anon',
  restricted: ':restricted',
};

/** The issuer path below the API base, e.g. `/api/v1/projects-anonymous-users/<id>`. */
function issuerPath(template: string): string {
  return new URL(template.replace('{projectId}', 'x')).pathname.replace(/\/x$/, '/{projectId}');
}

/** Issuer a backend served from `baseUrl` signs with (upstream: new URL(path, NEXT_PUBLIC_STACK_API_URL)). */
export function issuerFor(baseUrl: string, projectId: string, kind: IssuerKind): string {
  const entry = ISSUERS.find((e) => KIND_BY_ID[e.id] === kind)!;
  return new URL(fillTemplate(issuerPath(entry.old), { projectId }), baseUrl).toString();
}

/**
 * Every issuer the dual validator accepts for a project: the three kinds on both hosted domains, plus the
 * same paths under each custom base URL (self-hosted or emulator backends sign with their own base).
 */
export function acceptedIssuers(projectId: string, customBaseUrls: readonly string[] = []): AcceptedIssuer[] {
  const out: AcceptedIssuer[] = [];
  for (const entry of ISSUERS) {
    const kind = KIND_BY_ID[entry.id]!;
    out.push({ url: fillTemplate(entry.old, { projectId }), kind, host: 'stack' });
    out.push({ url: fillTemplate(entry.new!, { projectId }), kind, host: 'hexclave' });
    for (const base of customBaseUrls) {
      out.push({ url: issuerFor(base, projectId, kind), kind, host: 'custom' });
    }
  }
  return out;
}

/**
 * Where an issuer's origin comes from: a hosted domain (`stack` / `hexclave`), a base URL the caller named
 * (`custom`), or `other` — the right path and project under an origin nobody named, which is what a backend
 * reached through a reverse proxy, a tunnel, a port forward or another hostname (localhost vs 127.0.0.1) signs
 * with. Whether such a token is genuine is the signature's question, not the issuer's.
 */
export type IssuerHost = Family | 'custom' | 'other';

export type IssuerCheck =
  | {
      readonly ok: true;
      readonly kind: IssuerKind;
      readonly host: IssuerHost;
      /** The origin the backend signs with, e.g. `http://127.0.0.1:8102`. */
      readonly origin: string;
    }
  | { readonly ok: false; readonly reason: string };

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

const ACCEPTED_PATHS = ISSUERS.map((entry) => issuerPath(entry.old)).join(', ');

/**
 * Check an `iss` claim: its path must be one of the three issuer paths and name this project. Its origin is
 * reported, never judged: upstream signs with whatever base URL the backend is configured with, and the same
 * backend is often reached under another one. A wrong path or project is named in `reason`.
 */
export function checkIssuer(
  iss: string,
  projectId: string,
  customBaseUrls: readonly string[] = [],
): IssuerCheck {
  const hit = acceptedIssuers(projectId, customBaseUrls).find((accepted) => accepted.url === iss);
  if (hit) return { ok: true, kind: hit.kind, host: hit.host, origin: originOf(iss)! };
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return { ok: false, reason: `Issuer "${iss}" is not a URL.` };
  }
  if (url.search || url.hash || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return {
      ok: false,
      reason: `Issuer "${iss}" is not an http(s) base URL followed by an issuer path (${ACCEPTED_PATHS}).`,
    };
  }
  for (const entry of ISSUERS) {
    const params = matchTemplate(issuerPath(entry.old), url.pathname);
    if (!params) continue;
    if (params.projectId !== projectId) {
      return {
        ok: false,
        reason: `Issuer "${iss}" is for project "${params.projectId}", not "${projectId}".`,
      };
    }
    return { ok: true, kind: KIND_BY_ID[entry.id]!, host: 'other', origin: url.origin };
  }
  return {
    ok: false,
    reason: `Issuer "${iss}" does not have an issuer path for project "${projectId}" (${ACCEPTED_PATHS.replaceAll('{projectId}', projectId)}, under api.stack-auth.com, api.hexclave.com or the backend's own base URL).`,
  };
}
