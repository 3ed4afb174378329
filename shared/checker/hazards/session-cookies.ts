import { type ClientFamily, identifier, normalizeRequestHeaders } from '../../registry/index.js';
import { finding, identifierRef } from '../finding.js';
import { generationOfTraffic, pendingRefreshMigration } from '../sdk-session.js';
import type { BrowserSnapshot, CheckContext, Finding } from '../types.js';
import {
  newestOfFamily,
  readSessionJar,
  refreshTokensByFamily,
  type SessionCookie,
  type SessionJar,
  selectedBy108,
} from './jar.js';

const ACCESS = identifier('cookie.access');
const REFRESH_CUSTOM = identifier('cookie.refresh-custom');
const REFRESH_DEFAULT = identifier('cookie.refresh-default');

export function familiesSeen(snapshot: BrowserSnapshot): Set<ClientFamily> {
  return new Set(
    (snapshot.exchanges ?? []).map(
      (e) => normalizeRequestHeaders(Object.fromEntries(e.request.headers.map(([n, v]) => [n, v]))).family,
    ),
  );
}

function describe(c: SessionCookie): string {
  const domain = c.cookie.domain ? `; Domain=${c.cookie.domain}` : '';
  const age = c.updatedAt !== null ? `; updated_at_millis=${c.updatedAt}` : '';
  return `${c.cookie.name}${domain}${age}`;
}

function parentDomainHazards(jar: SessionJar, oldTraffic: boolean): Finding[] {
  const out: Finding[] = [];
  for (const c of jar.structuredRefresh) {
    if (c.parsed.kind !== 'refresh-custom' || c.family !== 'hexclave') continue;
    const twin = jar.structuredRefresh.find(
      (s) =>
        s.family === 'stack' &&
        s.parsed.kind === 'refresh-custom' &&
        s.parsed.projectId === c.parsed.projectId &&
        s.parsed.customDomain === c.parsed.customDomain,
    );
    if (twin) continue;
    const parent = c.parsed.customDomain ?? c.cookie.domain ?? 'the parent domain';
    out.push(
      finding('hazard.parent-refresh-without-stack-twin', {
        severity: oldTraffic ? 'error' : 'warning',
        identifier: identifierRef(REFRESH_CUSTOM, [c.cookie.name]),
        message: `The session shared with ${parent} exists only as ${c.cookie.name}; no stack-refresh twin is left at the parent domain.`,
        expected: `a stack-refresh-${c.parsed.projectId}--custom-${c.parsed.encodedDomain} twin while any app on *.${parent} still runs @stackframe/js ≤ 2.8.102`,
        actual: describe(c),
        evidence: `jar: ${describe(c)}`,
        explanation: `2.8.108 deleted the stack-refresh cookie at ${parent} on its first token write. An app on a sibling subdomain that still runs 2.8.102 reads only stack-* cookies, finds none and signs the user out; signing in there again is undone by the next 2.8.108 refresh (a sign-out loop across subdomains).`,
      }),
    );
  }
  return out;
}

function familyHazards(jar: SessionJar, oldTraffic: boolean): Finding[] {
  const out: Finding[] = [];
  const tokens = refreshTokensByFamily(jar);
  const newest = { stack: newestOfFamily(jar, 'stack'), hexclave: newestOfFamily(jar, 'hexclave') };
  const shared = [...tokens.stack].some((t) => tokens.hexclave.has(t));
  if (tokens.stack.size > 0 && tokens.hexclave.size > 0 && !shared) {
    const stale =
      newest.stack &&
      newest.hexclave &&
      (newest.stack.updatedAt ?? -Infinity) > (newest.hexclave.updatedAt ?? -Infinity);
    if (stale && newest.stack && newest.hexclave) {
      out.push(
        finding('hazard.stale-session-resurrects', {
          severity: 'error',
          identifier: identifierRef(REFRESH_DEFAULT, [newest.hexclave.cookie.name, newest.stack.cookie.name]),
          message: `${newest.stack.cookie.name} (updated ${newest.stack.updatedAt}) is newer than ${newest.hexclave.cookie.name} (updated ${newest.hexclave.updatedAt ?? 'never'}), yet 2.8.108 will use the hexclave one.`,
          expected: 'the newest session wins',
          actual: `2.8.108 picks ${newest.hexclave.cookie.name} and deletes ${newest.stack.cookie.name}`,
          evidence: `jar: ${describe(newest.hexclave)}; ${describe(newest.stack)}`,
          explanation:
            'After a downgrade and re-upgrade, 2.8.108 prefers any hexclave refresh cookie over stack ones regardless of age: it resurrects the older session (possibly a different user who never signed out) and deletes the newer one.',
        }),
      );
    } else {
      out.push(
        finding('hazard.split-sessions', {
          severity: 'warning',
          identifier: identifierRef(REFRESH_DEFAULT),
          message: 'The stack and hexclave refresh cookies hold different sessions.',
          expected: 'one session for the browser',
          actual: `${tokens.stack.size} stack session(s), ${tokens.hexclave.size} hexclave session(s), none shared`,
          evidence: `jar: ${[...jar.structuredRefresh, ...jar.legacyRefresh].map(describe).join('; ')}`,
          explanation:
            'Old-SDK apps use the stack session and new-SDK apps the hexclave one: signing out on one leaves the user signed in on the other.',
        }),
      );
    }
  }
  if (tokens.hexclave.size > 0 && tokens.stack.size === 0) {
    out.push(
      finding('hazard.downgrade-loses-session', {
        severity: oldTraffic ? 'error' : 'info',
        identifier: identifierRef(REFRESH_DEFAULT),
        message: oldTraffic
          ? 'This page sends old-SDK (x-stack-*) traffic but its session exists only in hexclave-refresh-* cookies, which the old SDK cannot read.'
          : 'The session exists only in hexclave-refresh-* cookies.',
        expected: 'a stack-refresh-* twin while any 2.8.102 app or a rollback is possible',
        actual: 'no stack-refresh-* cookie',
        evidence: `jar: ${jar.structuredRefresh
          .filter((c) => c.family === 'hexclave')
          .map(describe)
          .join('; ')}`,
        explanation:
          'Rolling @stackframe/js back to 2.8.102 (or opening an app still on it) signs this user out: the old SDK neither reads nor deletes hexclave-* cookies.',
      }),
    );
  }
  return out;
}

function accessHazards(jar: SessionJar): Finding[] {
  const out: Finding[] = [];
  const tokens = refreshTokensByFamily(jar);
  const all = new Set([...tokens.stack, ...tokens.hexclave]);
  const selected = selectedBy108(jar);
  const stackAccess = jar.access.find((c) => c.family === 'stack');
  const hexclaveAccess = jar.access.find((c) => c.family === 'hexclave');
  if (stackAccess && (!stackAccess.refreshToken || !all.has(stackAccess.refreshToken))) {
    out.push(
      finding('hazard.stale-stack-access', {
        severity: 'warning',
        identifier: identifierRef(ACCESS, [stackAccess.cookie.name]),
        message:
          all.size === 0
            ? `${ACCESS.old} is still in the jar although no session is left (signed out).`
            : `${ACCESS.old} belongs to a session no refresh cookie holds any more.`,
        expected: `${ACCESS.old} deleted with the session it belongs to`,
        actual: `${ACCESS.old} present with the tokens of an ended session`,
        evidence: `jar: ${ACCESS.old}`,
        explanation:
          '2.8.108 reads stack-access as a fallback but never writes or deletes it, so after sign-out the signed-out session’s tokens stay in the jar for up to a day.',
      }),
    );
  }
  if (
    hexclaveAccess &&
    selected?.refreshToken &&
    hexclaveAccess.refreshToken !== selected.refreshToken &&
    stackAccess?.refreshToken === selected.refreshToken
  ) {
    out.push(
      finding('hazard.access-cookie-mismatch', {
        severity: 'info',
        identifier: identifierRef(ACCESS, [hexclaveAccess.cookie.name, stackAccess.cookie.name]),
        message: `${ACCESS.new} belongs to another session, so the matching ${ACCESS.old} is never used.`,
        expected: `${ACCESS.new} for the session in use`,
        actual: `${ACCESS.new} for a different refresh token`,
        evidence: `jar: ${ACCESS.new}; ${ACCESS.old}; selected ${selected.cookie.name}`,
        explanation:
          'While hexclave-access exists the SDK ignores stack-access, so it fetches a new access token on every load.',
      }),
    );
  }
  return out;
}

/** A 2.8.108 page whose session still lives in stack-refresh-* cookies: say what its next write deletes. */
function migrationHazards(snapshot: BrowserSnapshot, projectId: string | undefined): Finding[] {
  const generation = generationOfTraffic(snapshot.exchanges ?? []);
  if (!generation) return [];
  const pending = pendingRefreshMigration(snapshot.cookies, generation, projectId);
  if (!pending) return [];
  return [
    finding('hazard.refresh-migration-pending', {
      severity: 'warning',
      identifier: identifierRef(REFRESH_DEFAULT, [...pending.deletes, pending.writes]),
      message: `The SDK on this page (${generation.version} rules) still uses ${pending.deletes.join(', ')}; its next token write deletes ${pending.deletes.length === 1 ? 'it' : 'them'} and writes ${pending.writes}.`,
      expected: 'every app on the site upgraded to 2.8.108 before this page writes a token',
      actual: `session in ${pending.deletes.join(', ')}; ${generation.basis}`,
      evidence: `jar: ${pending.deletes.join('; ')}; ${generation.basis}`,
      explanation: `The next sign-in, access-token refresh or sign-out migrates the session to ${pending.writes}. That signs out ${pending.signsOut}.`,
    }),
  ];
}

/** Session-cookie hazards of a jar as 2.8.108 leaves it (docs/sdk-as-shipped.md §14.2–5, §14.7). */
export function checkSessionCookies(snapshot: BrowserSnapshot, ctx: CheckContext): Finding[] {
  const jar = readSessionJar(snapshot.cookies, ctx.projectId);
  const oldTraffic = familiesSeen(snapshot).has('old');
  return [
    ...parentDomainHazards(jar, oldTraffic),
    ...familyHazards(jar, oldTraffic),
    ...accessHazards(jar),
    ...migrationHazards(snapshot, ctx.projectId),
  ];
}
