import { describe, expect, it } from 'vitest';
import { fingerprint, redactExchange, redactSnapshot } from '../../../overlay/report/redact.js';
import type { Exchange } from '../../../shared/checker/types.js';
import { buildCookieName, requestHeaderName } from '../../../shared/registry/index.js';

const ACCESS = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLWJ5dGVz';
const REFRESH = 'rt0123456789abcdefghijklmnopqrstuv';
const PROJECT = 'p-1';

const exchange: Exchange = {
  id: 'ov-1',
  startedAt: 1,
  durationMs: 2,
  request: {
    method: 'POST',
    url: 'http://localhost:8102/api/v1/auth/oauth/callback?code=secret-code&state=s1&keep=yes',
    headers: [
      [requestHeaderName('header.access-token', 'hexclave'), ACCESS],
      [requestHeaderName('header.refresh-token', 'stack'), REFRESH],
      [requestHeaderName('header.project-id', 'hexclave'), PROJECT],
      ['authorization', 'Bearer hexclave_eyJhY2Nlc3NUb2tlbiI6Im5vIn0='],
      ['content-type', 'application/json'],
    ],
    body: JSON.stringify({ email: 'ada@example.com', password: 'hunter2-hunter2' }),
  },
  response: {
    status: 200,
    headers: [['content-type', 'application/json']],
    body: JSON.stringify({ access_token: ACCESS, refresh_token: REFRESH, user_id: 'u-1' }),
  },
};

describe('what the overlay sends', () => {
  it('keeps access-token claims but not the signature, and fingerprints every other secret', () => {
    const sent = redactExchange(exchange);
    const text = JSON.stringify(sent);
    expect(text).not.toContain(REFRESH);
    expect(text).not.toContain('c2lnbmF0dXJlLWJ5dGVz');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('secret-code');
    expect(sent.request.headers[0]![1]).toBe(
      'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.signature-redacted',
    );
    expect(sent.request.headers[1]![1]).toBe(fingerprint(REFRESH));
    expect(sent.request.headers[2]![1]).toBe(PROJECT); // not a secret
    expect(sent.request.headers[3]![1]).toMatch(/^Bearer redacted#[0-9a-f]{8}:\d+$/);
    expect(JSON.parse(sent.response!.body!)).toEqual({
      access_token: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.signature-redacted',
      refresh_token: fingerprint(REFRESH),
      user_id: 'u-1',
    });
    expect(new URL(sent.request.url).searchParams.get('keep')).toBe('yes');
  });

  it('redacts cookie values inside their structure, so twins can still be compared', () => {
    const refreshName = buildCookieName({ kind: 'refresh-default', family: 'stack', projectId: PROJECT });
    const snapshot = redactSnapshot({
      cookies: [
        {
          name: refreshName,
          value: encodeURIComponent(JSON.stringify({ refresh_token: REFRESH, updated_at_millis: 5 })),
        },
        { name: 'stack-access', value: encodeURIComponent(JSON.stringify([REFRESH, ACCESS])) },
        { name: 'theme', value: 'dark' },
      ],
      localStorage: { '__hexclave-dev-tool-state': '{"isOpen":true}' },
      exchanges: [exchange],
    });
    expect(JSON.stringify(snapshot)).not.toContain(REFRESH);
    expect(snapshot.exchanges).toBeUndefined();
    const [refresh, access] = snapshot.cookies
      .slice(0, 2)
      .map((c) => JSON.parse(decodeURIComponent(c.value)) as unknown);
    expect(refresh).toEqual({ refresh_token: fingerprint(REFRESH), updated_at_millis: 5 });
    expect(access).toEqual([
      fingerprint(REFRESH),
      'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.signature-redacted',
    ]);
    expect(snapshot.cookies[2]!.value).toBe(fingerprint('dark'));
  });

  it('gives equal secrets equal fingerprints and different ones different fingerprints', () => {
    expect(fingerprint('a')).toBe(fingerprint('a'));
    expect(fingerprint('a')).not.toBe(fingerprint('b'));
  });
});
