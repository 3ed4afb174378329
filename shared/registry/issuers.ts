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

export type IssuerCheck =
  | { readonly ok: true; readonly kind: IssuerKind; readonly host: Family | 'custom' }
  | { readonly ok: false; readonly reason: string };

/** Check an `iss` claim against the accepted variants, naming the project or path that is off when it fails. */
export function checkIssuer(
  iss: string,
  projectId: string,
  customBaseUrls: readonly string[] = [],
): IssuerCheck {
  const hit = acceptedIssuers(projectId, customBaseUrls).find((accepted) => accepted.url === iss);
  if (hit) return { ok: true, kind: hit.kind, host: hit.host };
  for (const entry of ISSUERS) {
    for (const template of [entry.old, entry.new!]) {
      const params = matchTemplate(template, iss);
      if (params) {
        return {
          ok: false,
          reason: `Issuer "${iss}" is for project "${params.projectId}", not "${projectId}".`,
        };
      }
    }
  }
  return {
    ok: false,
    reason: `Issuer "${iss}" is not one of the accepted variants for project "${projectId}" (api.stack-auth.com or api.hexclave.com${customBaseUrls.length ? ` or ${customBaseUrls.join(', ')}` : ''}, paths /api/v1/projects, /projects-anonymous-users, /projects-restricted-users).`,
  };
}
