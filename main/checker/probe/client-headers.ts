import type { ProbeFamily } from '../../../shared/checker/report.js';
import { secureRandomString } from '../../../shared/encoding.js';
import { type Family, requestHeaderName } from '../../../shared/registry/index.js';

/** Which name families each probe client sends: an old SDK stack names, a new SDK hexclave names, mixed both. */
const NAME_FAMILIES: Record<ProbeFamily, readonly Family[]> = {
  old: ['stack'],
  new: ['hexclave'],
  mixed: ['stack', 'hexclave'],
};

/** The version label each generation sends (the backend parses `<platform> <package>@<version>`). */
const CLIENT_VERSION: Record<ProbeFamily, string> = {
  old: 'js @stackframe/js@2.8.102',
  new: 'js @stackframe/js@2.8.108',
  mixed: 'js @stackframe/js@2.8.108',
};

export interface ClientAuth {
  readonly projectId: string;
  readonly publishableClientKey: string;
  readonly secretServerKey?: string;
  readonly accessType?: 'client' | 'server';
  readonly accessToken?: string;
  readonly refreshToken?: string;
  /** The SDK always asks for the override; the known-error scenario also tries without it. */
  readonly overrideErrorStatus?: boolean;
}

/** Request headers as the SDK of `family` sends them (docs/sdk-as-shipped.md §1.1), by registry id. */
export function clientHeaders(family: ProbeFamily, auth: ClientAuth): [string, string][] {
  const values: [id: string, value: string | undefined][] = [
    ['header.override-error-status', auth.overrideErrorStatus === false ? undefined : 'true'],
    ['header.project-id', auth.projectId],
    ['header.access-type', auth.accessType ?? 'client'],
    ['header.client-version', CLIENT_VERSION[family]],
    ['header.access-token', auth.accessToken],
    ['header.refresh-token', auth.refreshToken],
    ['header.allow-anonymous-user', 'true'],
    ['header.publishable-client-key', auth.publishableClientKey],
    ['header.random-nonce', secureRandomString(80)],
    ['header.secret-server-key', auth.accessType === 'server' ? auth.secretServerKey : undefined],
  ];
  const headers: [string, string][] = [];
  for (const nameFamily of NAME_FAMILIES[family]) {
    for (const [id, value] of values) {
      if (value !== undefined) headers.push([requestHeaderName(id, nameFamily), value]);
    }
  }
  return headers;
}

export function nameFamilies(family: ProbeFamily): readonly Family[] {
  return NAME_FAMILIES[family];
}
