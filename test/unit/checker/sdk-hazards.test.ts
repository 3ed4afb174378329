import { describe, expect, it } from 'vitest';
import { type BrowserSnapshot, checkSnapshot, type JarCookie } from '../../../shared/checker/index.js';
import { buildCookieName, requestHeaderName } from '../../../shared/registry/index.js';
import { exchange, PROJECT_ID } from '../../helpers/exchanges.js';

const ctx = { projectId: PROJECT_ID, expectedMode: 'dual' as const };
const refreshValue = (token: string, updatedAt: number) =>
  encodeURIComponent(JSON.stringify({ refresh_token: token, updated_at_millis: updatedAt }));
const refresh = (
  family: 'stack' | 'hexclave',
  token: string,
  updatedAt: number,
  domain?: string,
): JarCookie => ({
  name: buildCookieName({
    kind: domain ? 'refresh-custom' : 'refresh-default',
    family,
    projectId: PROJECT_ID,
    ...(domain ? { domain } : {}),
  }),
  value: refreshValue(token, updatedAt),
  ...(domain ? { domain } : {}),
});
const access = (family: 'stack' | 'hexclave', token: string): JarCookie => ({
  name: buildCookieName({ kind: 'access', family }),
  value: encodeURIComponent(JSON.stringify([token, 'jwt'])),
});
const rules = (snapshot: BrowserSnapshot) =>
  checkSnapshot(snapshot, ctx)
    .map((f) => f.ruleId)
    .sort();

describe('session cookie hazards of 2.8.108', () => {
  it('a jar written by 2.8.108 alone only warns that a rollback would sign the user out', () => {
    expect(rules({ cookies: [refresh('hexclave', 'rt-a', 1), access('hexclave', 'rt-a')] })).toEqual([
      'hazard.downgrade-loses-session',
    ]);
  });

  it('parent-domain hexclave cookie without a stack twin: the old-SDK sibling loses its session', () => {
    const found = checkSnapshot({ cookies: [refresh('hexclave', 'rt-a', 1, 'example.com')] }, ctx);
    const hazard = found.find((f) => f.ruleId === 'hazard.parent-refresh-without-stack-twin')!;
    expect(hazard.identifier?.id).toBe('cookie.refresh-custom');
    expect(hazard.explanation).toMatch(/sibling subdomain/);
    expect(hazard.severity).toBe('warning');
    const withOldTraffic = checkSnapshot(
      {
        cookies: [refresh('hexclave', 'rt-a', 1, 'example.com')],
        exchanges: [
          exchange({ requestHeaders: { [requestHeaderName('header.project-id', 'stack')]: PROJECT_ID } }),
        ],
      },
      ctx,
    );
    expect(
      withOldTraffic.find((f) => f.ruleId === 'hazard.parent-refresh-without-stack-twin')!.severity,
    ).toBe('error');
  });

  it('a stack cookie newer than the hexclave one: re-upgrade resurrects the older session', () => {
    const found = rules({
      cookies: [refresh('hexclave', 'rt-a', 1000), refresh('stack', 'rt-b', 1999999999999)],
    });
    expect(found).toEqual(['hazard.stale-session-resurrects']);
  });

  it('different sessions per family, or a stack-access left after sign-out', () => {
    expect(rules({ cookies: [refresh('hexclave', 'rt-a', 2000), refresh('stack', 'rt-b', 1000)] })).toEqual([
      'hazard.split-sessions',
    ]);
    expect(rules({ cookies: [access('stack', 'rt-gone')] })).toEqual(['hazard.stale-stack-access']);
  });

  it('hexclave-access of another session suppresses the matching stack-access', () => {
    const found = rules({
      cookies: [
        refresh('hexclave', 'rt-a', 1),
        refresh('stack', 'rt-a', 1),
        access('hexclave', 'rt-old'),
        access('stack', 'rt-a'),
      ],
    });
    expect(found).toEqual(['hazard.access-cookie-mismatch']);
  });
});

describe('storage, URL and page hazards', () => {
  it('MFA attempt code without its stack twin, orphaned and lost storage keys', () => {
    const found = checkSnapshot(
      {
        cookies: [],
        sessionStorage: { hexclave_mfa_attempt_code: 'c' },
        localStorage: {
          '__stack-dev-tool-override': 'true',
          [`stack:session-replay:v1:${PROJECT_ID}`]: '{}',
          [`hexclave:session-replay:v1:${PROJECT_ID}`]: '{}',
        },
      },
      ctx,
    );
    expect(found.map((f) => [f.ruleId, f.identifier?.id]).sort()).toEqual([
      ['hazard.mfa-code-without-stack-twin', 'storage.mfa-attempt-code'],
      ['hazard.storage-lost-on-upgrade', 'storage.dev-tool-override'],
      ['hazard.storage-orphaned', 'storage.session-replay'],
    ]);
  });

  it('handoff params in one family, an unsubstituted port prefix, two SDK copies', () => {
    const found = checkSnapshot(
      {
        cookies: [],
        recentUrls: [
          'https://b.example.com/handler/sign-in?hexclave_cross_domain_auth=1&hexclave_cross_domain_state=s',
          `http://localhost:\${NEXT_PUBLIC_STACK_PORT_PREFIX:-81}02/api/v1/users/me`,
        ],
        domIds: ['__stack-dev-tool-root', '__hexclave-dev-tool-root'],
      },
      ctx,
    );
    expect(found.map((f) => [f.ruleId, f.identifier?.id]).sort()).toEqual([
      ['hazard.handoff-one-family', 'param.cross-domain-auth'],
      ['hazard.two-sdk-copies', 'dom.dev-tool-root'],
      ['hazard.unsubstituted-port-prefix', 'env.NEXT_PUBLIC_STACK_PORT_PREFIX'],
    ]);
    expect(found.find((f) => f.ruleId === 'hazard.handoff-one-family')!.message).toContain('2.8.102');
  });
});
