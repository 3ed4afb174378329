import { describe, expect, it } from 'vitest';
import { effectiveStatus, requestLine } from '../../../shared/checker/exchange.js';
import { checkExchange, checkSnapshot } from '../../../shared/checker/index.js';
import { preflightRefusedFinding } from '../../../shared/checker/rules/network.js';
import { pendingRefreshMigration, sdkGeneration, sdkSession } from '../../../shared/checker/sdk-session.js';
import type { Exchange, JarCookie } from '../../../shared/checker/types.js';
import { buildCookieName, type Family } from '../../../shared/registry/index.js';

const PROJECT = '3f0c8d8e-5a4b-4f43-9d6e-0a1b2c3d4e5f';
const OLD = sdkGeneration('js @stackframe/js@2.8.102', 'old')!;
const NEW = sdkGeneration('js @stackframe/js@2.8.108', 'new')!;

const refresh = (family: Family, token: string): JarCookie => ({
  name: buildCookieName({ kind: 'refresh-default', family, projectId: PROJECT }),
  value: encodeURIComponent(JSON.stringify({ refresh_token: token, updated_at_millis: 1 })),
});
const access = (family: Family, rt: string, at: string): JarCookie => ({
  name: buildCookieName({ kind: 'access', family }),
  value: encodeURIComponent(JSON.stringify([rt, at])),
});

function exchange(overrides: Partial<Exchange> & { headers?: [string, string][] }): Exchange {
  return {
    id: 'x1',
    startedAt: 0,
    durationMs: 1,
    request: { method: 'GET', url: 'http://127.0.0.1:9/api/v1/users/me', headers: overrides.headers ?? [] },
    response: null,
    ...overrides,
  };
}

describe('what the SDK generation on a page can read', () => {
  it('tells generations apart by client version, then by header family', () => {
    expect(OLD.version).toBe('2.8.102');
    expect(NEW.version).toBe('2.8.108');
    expect(sdkGeneration('js @stackframe/js@2.9.0', 'new')!.version).toBe('2.8.108');
    expect(sdkGeneration(null, 'old')!.version).toBe('2.8.102');
    expect(sdkGeneration(null, 'none')).toBeNull();
  });

  it('2.8.102 cannot read a migrated session and says whose cookie it is', () => {
    const jar = [refresh('hexclave', 'rt-1'), access('hexclave', 'rt-1', 'at-1')];
    const old = sdkSession(jar, OLD, PROJECT);
    expect(old.signedIn).toBe(false);
    expect(old.unreadable[0]!.cookieNames).toEqual([`hexclave-refresh-${PROJECT}--default`]);
    const fresh = sdkSession(jar, NEW, PROJECT);
    expect(fresh).toMatchObject({ signedIn: true, accessToken: 'at-1', accessCookie: 'hexclave-access' });
  });

  it('a left-over stack-access without a refresh cookie is no session for either generation', () => {
    const jar = [access('stack', 'rt-gone', 'at-gone')];
    for (const generation of [OLD, NEW]) {
      const session = sdkSession(jar, generation, PROJECT);
      expect(session.signedIn).toBe(false);
      expect(session.evidence.join('\n')).toContain('stack-access is ignored');
    }
  });

  it('warns a 2.8.108 page on stack cookies what its next write deletes, and says nothing to 2.8.102', () => {
    const jar = [refresh('stack', 'rt-1'), access('stack', 'rt-1', 'at-1')];
    expect(pendingRefreshMigration(jar, OLD, PROJECT)).toBeNull();
    const pending = pendingRefreshMigration(jar, NEW, PROJECT)!;
    expect(pending.deletes).toEqual([`stack-refresh-${PROJECT}--default`]);
    expect(pending.writes).toBe(`hexclave-refresh-${PROJECT}--default`);
    const traffic = [
      exchange({
        headers: [['x-hexclave-client-version', 'js @stackframe/js@2.8.108']],
        response: { status: 200, headers: [] },
      }),
    ];
    const rules = checkSnapshot(
      { cookies: jar, exchanges: traffic },
      { expectedMode: 'unknown', projectId: PROJECT },
    );
    expect(rules.map((f) => f.ruleId)).toContain('hazard.refresh-migration-pending');
  });
});

describe('statuses and failures', () => {
  it('reads the actual status the SDK acts on, and shows both in the request line', () => {
    const wrapped = exchange({ response: { status: 200, headers: [['x-stack-actual-status', '409']] } });
    expect(effectiveStatus(wrapped)).toBe(409);
    expect(requestLine(wrapped)).toContain('409 (HTTP 200)');
  });

  it('a request without a response is a network error, and a refused preflight names the header and the fix', () => {
    const failed = exchange({
      error: 'TypeError: Failed to fetch',
      headers: [['x-hexclave-client-version', 'v']],
    });
    expect(checkExchange(failed, { expectedMode: 'unknown' }).map((f) => f.ruleId)).toContain(
      'client.no-response',
    );
    const refused = preflightRefusedFinding(failed, ['x-hexclave-client-version']);
    expect(refused.message).toContain('x-hexclave-client-version');
    expect(refused.explanation).toMatch(/Deploy the compatibility layer.*pin @stackframe\/js to 2\.8\.102/);
  });
});
