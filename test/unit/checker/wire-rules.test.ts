import { describe, expect, it } from 'vitest';
import { type CheckContext, checkExchange, type Finding } from '../../../shared/checker/index.js';
import {
  dualResponseHeaderNames,
  requestHeaderName,
  sdkSentRequestHeaderNames,
} from '../../../shared/registry/index.js';
import { exchange, PROJECT_ID } from '../../helpers/exchanges.js';

const DUAL: CheckContext = { projectId: PROJECT_ID, expectedMode: 'dual' };
const LEGACY: CheckContext = { projectId: PROJECT_ID, expectedMode: 'legacy' };
const [STACK_REQUEST_ID, HEXCLAVE_REQUEST_ID] = dualResponseHeaderNames('request-id');
const [STACK_KNOWN_ERROR, HEXCLAVE_KNOWN_ERROR] = dualResponseHeaderNames('known-error');
const [STACK_ACTUAL, HEXCLAVE_ACTUAL] = dualResponseHeaderNames('actual-status');
const override = (family: 'stack' | 'hexclave') => ({
  [requestHeaderName('header.override-error-status', family)]: 'true',
});

function withoutInfo(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity !== 'info');
}

function rule(findings: Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

const knownErrorResponse = (stack: string | null, hexclave: string | null, code = 'USER_NOT_FOUND') => ({
  status: 200,
  requestHeaders: override('stack'),
  responseHeaders: {
    [STACK_REQUEST_ID]: 'abcdefghjkmnpqrs',
    [HEXCLAVE_REQUEST_ID]: 'abcdefghjkmnpqrs',
    [STACK_ACTUAL]: '404',
    [HEXCLAVE_ACTUAL]: '404',
    ...(stack ? { [STACK_KNOWN_ERROR]: stack } : {}),
    ...(hexclave ? { [HEXCLAVE_KNOWN_ERROR]: hexclave } : {}),
  },
  responseBody: { code, error: 'User not found.' },
});

describe('dual-emitted response headers', () => {
  it('raises nothing for a correct dual response', () => {
    const found = checkExchange(exchange(knownErrorResponse('USER_NOT_FOUND', 'USER_NOT_FOUND')), DUAL);
    expect(withoutInfo(found)).toEqual([]);
  });

  it('names the missing hexclave header: an error for a dual backend, info for a known-legacy one', () => {
    const legacyResponse = exchange({ responseHeaders: { [STACK_REQUEST_ID]: 'abcdefghjkmnpqrs' } });
    const [dual] = rule(checkExchange(legacyResponse, DUAL), 'response-header.missing-twin');
    expect(dual).toMatchObject({
      severity: 'error',
      identifier: { id: 'header.request-id', hexclave: HEXCLAVE_REQUEST_ID },
    });
    expect(dual!.message).toContain(HEXCLAVE_REQUEST_ID);
    expect(rule(checkExchange(legacyResponse, LEGACY), 'response-header.missing-twin')[0]!.severity).toBe(
      'info',
    );
  });

  it('flags request ids that differ between the families', () => {
    const found = checkExchange(
      exchange({
        responseHeaders: {
          [STACK_REQUEST_ID]: 'aaaaaaaaaaaaaaaa',
          [HEXCLAVE_REQUEST_ID]: 'bbbbbbbbbbbbbbbb',
        },
      }),
      DUAL,
    );
    expect(rule(found, 'response-header.values-differ')).toEqual([
      expect.objectContaining({
        severity: 'error',
        identifier: expect.objectContaining({ id: 'header.request-id' }),
      }),
    ]);
  });
});

describe('known-error and actual-status', () => {
  it('flags a known error emitted in one family only', () => {
    const found = checkExchange(exchange(knownErrorResponse('USER_NOT_FOUND', null)), DUAL);
    expect(rule(found, 'response-header.missing-twin').map((f) => f.identifier?.id)).toEqual([
      'header.known-error',
    ]);
  });

  it('flags a header that disagrees with the body code, naming the family', () => {
    const found = checkExchange(exchange(knownErrorResponse('USER_NOT_FOUND', 'TEAM_NOT_FOUND')), DUAL);
    const mismatch = rule(found, 'known-error.body-mismatch');
    expect(mismatch.map((f) => f.identifier?.names)).toEqual([[HEXCLAVE_KNOWN_ERROR]]);
  });

  it('flags an error body without any known-error header', () => {
    const found = checkExchange(
      exchange({ status: 404, responseBody: { code: 'USER_NOT_FOUND', error: 'User not found.' } }),
      DUAL,
    );
    expect(rule(found, 'known-error.header-missing')).toHaveLength(1);
  });

  it('flags actual-status without the override header, on a 5xx, and on a non-200 status', () => {
    const rewritten500 = checkExchange(
      exchange({
        requestHeaders: override('hexclave'),
        responseHeaders: { [STACK_ACTUAL]: '500', [HEXCLAVE_ACTUAL]: '500' },
      }),
      DUAL,
    );
    expect(rule(rewritten500, 'actual-status.not-4xx')[0]!.message).toMatch(/500 server error was disguised/);
    const unasked = checkExchange(
      exchange({ responseHeaders: { [STACK_ACTUAL]: '401', [HEXCLAVE_ACTUAL]: '401' } }),
      DUAL,
    );
    expect(rule(unasked, 'actual-status.without-override')).toHaveLength(1);
    const not200 = checkExchange(
      exchange({
        status: 401,
        requestHeaders: override('stack'),
        responseHeaders: { [STACK_ACTUAL]: '401', [HEXCLAVE_ACTUAL]: '401' },
      }),
      DUAL,
    );
    expect(rule(not200, 'actual-status.http-not-200')).toHaveLength(1);
  });

  it('names the ignored hexclave override header when a 4xx comes back anyway', () => {
    const found = checkExchange(
      exchange({
        status: 400,
        requestHeaders: override('hexclave'),
        responseHeaders: { [STACK_KNOWN_ERROR]: 'ACCESS_TYPE_REQUIRED' },
        responseBody: { code: 'ACCESS_TYPE_REQUIRED', error: 'x' },
      }),
      DUAL,
    );
    expect(rule(found, 'actual-status.override-ignored')[0]!.identifier).toMatchObject({
      id: 'header.override-error-status',
      names: [requestHeaderName('header.override-error-status', 'hexclave')],
    });
  });
});

describe('CORS', () => {
  const upstreamAllowList = ['content-type', 'authorization', ...sdkSentRequestHeaderNames('stack')].join(
    ', ',
  );
  const preflight = (requested: string[], allow: string, expose?: string) =>
    exchange({
      method: 'OPTIONS',
      requestHeaders: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'GET',
        'access-control-request-headers': requested.join(','),
      },
      responseHeaders: {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': allow,
        ...(expose ? { 'access-control-expose-headers': expose } : {}),
      },
    });

  it('names every hexclave request header an old allow list blocks', () => {
    const found = checkExchange(preflight(sdkSentRequestHeaderNames('hexclave'), upstreamAllowList), DUAL);
    const blocked = rule(found, 'cors.request-header-not-allowed').flatMap((f) => f.identifier?.names ?? []);
    expect(blocked.sort()).toEqual(sdkSentRequestHeaderNames('hexclave').sort());
    expect(rule(found, 'cors.request-family-incomplete').length).toBeGreaterThan(0);
  });

  it('accepts an allow list with both families and flags an expose list missing the new names', () => {
    const both = [upstreamAllowList, ...sdkSentRequestHeaderNames('hexclave')].join(', ');
    const expose = `content-type, ${STACK_ACTUAL}, ${STACK_KNOWN_ERROR}`;
    const found = checkExchange(preflight(sdkSentRequestHeaderNames('hexclave'), both, expose), DUAL);
    expect(rule(found, 'cors.request-header-not-allowed')).toEqual([]);
    expect(rule(found, 'cors.expose-family-incomplete').map((f) => f.identifier?.names)).toEqual([
      [HEXCLAVE_ACTUAL],
      [HEXCLAVE_KNOWN_ERROR],
    ]);
  });

  it('reports a refused preflight', () => {
    const found = checkExchange(
      exchange({
        method: 'OPTIONS',
        status: 404,
        requestHeaders: { 'access-control-request-method': 'GET' },
      }),
      DUAL,
    );
    expect(rule(found, 'cors.preflight-failed')).toHaveLength(1);
  });
});

describe('client family', () => {
  it('tells old, new and mixed clients apart and flags conflicting values', () => {
    const project = (family: 'stack' | 'hexclave', value = PROJECT_ID) => ({
      [requestHeaderName('header.project-id', family)]: value,
    });
    const family = (headers: Record<string, string>) =>
      rule(checkExchange(exchange({ requestHeaders: headers }), DUAL), 'client.family')[0]?.actual;
    expect(family(project('stack'))).toBe('old');
    expect(family(project('hexclave'))).toBe('new');
    expect(family({ ...project('stack'), ...project('hexclave') })).toBe('mixed');
    const conflict = checkExchange(
      exchange({ requestHeaders: { ...project('stack'), ...project('hexclave', 'internal') } }),
      DUAL,
    );
    expect(rule(conflict, 'client.conflicting-values')[0]!.identifier?.id).toBe('header.project-id');
  });

  it('says which hexclave header a legacy backend ignored', () => {
    const found = checkExchange(
      exchange({
        status: 400,
        requestHeaders: {
          [requestHeaderName('header.project-id', 'hexclave')]: PROJECT_ID,
          [requestHeaderName('header.access-type', 'hexclave')]: 'client',
        },
        responseHeaders: { [STACK_KNOWN_ERROR]: 'ACCESS_TYPE_REQUIRED' },
        responseBody: { code: 'ACCESS_TYPE_REQUIRED', error: 'x' },
      }),
      { expectedMode: 'unknown' },
    );
    const [ignored] = rule(found, 'client.new-headers-ignored');
    expect(ignored!.message).toContain(`it ignores ${requestHeaderName('header.access-type', 'hexclave')}`);
    expect(ignored!.severity).toBe('error');
  });
});
