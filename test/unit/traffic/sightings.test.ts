import { describe, expect, it } from 'vitest';
import { sameRequest } from '../../../main/traffic/index.js';
import { type Exchange, type Finding, mergeSightingFindings } from '../../../shared/checker/index.js';
import { dualResponseHeaderNames } from '../../../shared/registry/index.js';
import { exchange } from '../../helpers/exchanges.js';

const [STACK_REQUEST_ID] = dualResponseHeaderNames('request-id');
const PROXY = 'http://127.0.0.1:9100';

/** The same request as the page saw it: it called the proxy's address, and redacted secret query values. */
function asPageSaw(
  wire: Exchange,
  changes: { url?: string; startedAt?: number; requestId?: string } = {},
): Exchange {
  const url = new URL(changes.url ?? wire.request.url);
  return {
    ...wire,
    id: 'page-1',
    startedAt: changes.startedAt ?? wire.startedAt + 3,
    request: { ...wire.request, url: `${PROXY}${url.pathname}${url.search}` },
    response: wire.response && {
      ...wire.response,
      headers: changes.requestId ? [[STACK_REQUEST_ID, changes.requestId]] : wire.response.headers,
    },
  };
}

const finding = (ruleId: string, severity: Finding['severity'], message = ruleId): Finding => ({
  ruleId,
  severity,
  identifier: null,
  message,
  expected: '',
  actual: '',
  evidence: '',
});

describe('which sightings are one request', () => {
  it('matches across origins and redacted query values, not across methods, paths, statuses or request ids', () => {
    const wire = exchange({
      path: '/api/v1/auth/oauth/authorize/github?state=abc123&client_id=p',
      responseHeaders: { [STACK_REQUEST_ID]: 'r1' },
    });
    expect(sameRequest(wire, asPageSaw(wire))).toBe(true);
    const redacted = `${PROXY}/api/v1/auth/oauth/authorize/github?state=redacted%231a2b3c4d&client_id=p`;
    expect(sameRequest(wire, asPageSaw(wire, { url: redacted }))).toBe(true);
    const otherClient = `${PROXY}/api/v1/auth/oauth/authorize/github?state=abc123&client_id=q`;
    expect(sameRequest(wire, asPageSaw(wire, { url: otherClient }))).toBe(false);
    expect(sameRequest(wire, { ...asPageSaw(wire), request: { ...wire.request, method: 'POST' } })).toBe(
      false,
    );
    expect(sameRequest(wire, { ...asPageSaw(wire), response: { status: 401, headers: [] } })).toBe(false);
    // Two identical calls close together: the backend's request id (when the page may read it) tells them apart.
    expect(sameRequest(wire, asPageSaw(wire, { requestId: 'r2' }))).toBe(false);
    expect(sameRequest(wire, asPageSaw(wire, { requestId: 'r1', startedAt: wire.startedAt + 60_000 }))).toBe(
      true,
    );
    // Without a readable id, only requests that started within seconds of each other.
    const noId = exchange({ path: '/api/v1/users/me' });
    expect(sameRequest(noId, asPageSaw(noId, { startedAt: noId.startedAt + 4_000 }))).toBe(true);
    expect(sameRequest(noId, asPageSaw(noId, { startedAt: noId.startedAt + 6_000 }))).toBe(false);
  });
});

describe('one verdict from several sightings', () => {
  it('keeps every problem, and "not checked" only when no other sighting made the check', () => {
    const proxy = [finding('client.family', 'info')];
    const page = [
      finding('token.signature', 'not-checked'),
      finding('response-header.missing-twin', 'error', 'x-hexclave-known-error not readable in the page'),
    ];
    expect(mergeSightingFindings([proxy, page]).map((f) => `${f.severity} ${f.ruleId}`)).toEqual([
      'info client.family',
      'error response-header.missing-twin',
    ]);
    expect(mergeSightingFindings([page]).map((f) => f.severity)).toEqual(['not-checked', 'error']);
    const bothBlind = [finding('token.signature', 'not-checked', 'no JWKS')];
    expect(mergeSightingFindings([bothBlind, page]).map((f) => f.ruleId)).toContain('token.signature');
  });
});
