import { describe, expect, it } from 'vitest';
import type { TrafficSummary } from '../../shared/api/workspace-schemas.js';
import { parseTrafficFilter, TRAFFIC_FILTER_KEYS } from '../../shared/traffic-filter.js';

function exchange(seq: number, overrides: Partial<TrafficSummary>): TrafficSummary {
  return {
    seq,
    source: 'proxy',
    startedAt: 0,
    durationMs: 5,
    method: 'GET',
    url: 'http://127.0.0.1:8102/api/v1/users/me',
    status: 200,
    family: 'new',
    worst: null,
    findingCount: 0,
    requestHeaderNames: [],
    responseHeaderNames: [],
    setCookieNames: [],
    ...overrides,
    sources: overrides.sources ?? [overrides.source ?? 'proxy'],
  };
}

const ITEMS: TrafficSummary[] = [
  exchange(1, {
    method: 'POST',
    url: 'http://127.0.0.1:8102/api/v1/auth/password/sign-up',
    family: 'old',
    requestHeaderNames: ['x-stack-project-id'],
    responseHeaderNames: ['x-stack-request-id', 'x-hexclave-request-id'],
  }),
  exchange(2, {
    method: 'POST',
    url: 'http://127.0.0.1:8102/api/v1/auth/password/sign-in',
    status: 400,
    family: 'new',
    worst: 'warning',
    findingCount: 1,
    responseHeaderNames: ['x-hexclave-request-id', 'x-hexclave-known-error'],
  }),
  exchange(3, {
    url: 'https://api.example.com/api/v1/users/me',
    status: 401,
    family: 'mixed',
    source: 'overlay',
    worst: 'error',
    findingCount: 2,
    setCookieNames: ['stack-refresh-abc--default'],
  }),
  exchange(4, { method: 'OPTIONS', status: null, family: 'none', source: 'window' }),
];

function seqs(filterText: string): number[] {
  const parsed = parseTrafficFilter(filterText);
  if (!parsed.ok) throw new Error(parsed.error);
  return ITEMS.filter((item) => parsed.filter.matches(item)).map((item) => item.seq);
}

function errorOf(filterText: string): string {
  const parsed = parseTrafficFilter(filterText);
  if (parsed.ok) throw new Error(`"${filterText}" parsed, but an error was expected`);
  return parsed.error;
}

describe('traffic filter language', () => {
  it('keeps everything when empty', () => {
    expect(seqs('')).toEqual([1, 2, 3, 4]);
    expect(seqs('   ')).toEqual([1, 2, 3, 4]);
  });

  it('matches free text against the URL, case-insensitively', () => {
    expect(seqs('sign-')).toEqual([1, 2]);
    expect(seqs('EXAMPLE.com')).toEqual([3]);
  });

  it('filters by method, status code and status class', () => {
    expect(seqs('method:post')).toEqual([1, 2]);
    expect(seqs('status-code:401')).toEqual([3]);
    expect(seqs('status-code:4xx')).toEqual([2, 3]);
    expect(seqs('status-code:none')).toEqual([4]);
  });

  it('filters by SDK family, source and worst finding', () => {
    expect(seqs('family:old')).toEqual([1]);
    expect(seqs('family:old,new')).toEqual([1, 2]);
    expect(seqs('family:old|mixed')).toEqual([1, 3]);
    expect(seqs('source:overlay')).toEqual([3]);
    expect(seqs('severity:error')).toEqual([3]);
    expect(seqs('severity:none')).toEqual([1, 4]);
  });

  it('matches a request several capturers saw by each of them, and a check nobody could make', () => {
    // One request the proxy and the page both saw, whose only gap is a signature the page could not check.
    const merged = exchange(5, {
      source: 'proxy',
      sources: ['proxy', 'overlay'],
      worst: 'not-checked',
      findingCount: 1,
    });
    const matches = (text: string, item: TrafficSummary) => {
      const parsed = parseTrafficFilter(text);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.filter.matches(item);
    };
    expect(matches('source:overlay', merged)).toBe(true);
    expect(matches('source:proxy', merged)).toBe(true);
    expect(matches('source:window', merged)).toBe(false);
    expect(matches('severity:not-checked', merged)).toBe(true);
    expect(matches('severity:error', merged)).toBe(false);
  });

  it('filters by header and cookie names, and by domain with wildcards', () => {
    expect(seqs('has-response-header:x-hexclave-request-id')).toEqual([1, 2]);
    expect(seqs('has-response-header:X-Stack-Request-Id')).toEqual([1]);
    expect(seqs('has-request-header:x-stack-project-id')).toEqual([1]);
    expect(seqs('set-cookie-name:stack-refresh-*')).toEqual([3]);
    expect(seqs('domain:*.example.com')).toEqual([3]);
    expect(seqs('domain:127.0.0.1:8102')).toEqual([1, 2, 4]);
  });

  it('negates any term with a leading minus and ANDs all terms', () => {
    expect(seqs('-family:old')).toEqual([2, 3, 4]);
    expect(seqs('-sign-up')).toEqual([2, 3, 4]);
    expect(seqs('method:POST -status-code:400')).toEqual([1]);
    expect(seqs('-method:OPTIONS -status-code:4xx')).toEqual([1]);
  });

  it('treats quoted terms and URLs as free text, even with a colon', () => {
    expect(seqs('"127.0.0.1:8102/api/v1/auth"')).toEqual([1, 2]);
    expect(seqs('https://api.example.com')).toEqual([3]);
    expect(seqs('-"users/me"')).toEqual([1, 2]);
  });

  it('names an unknown key, lists the known ones and says how to search for the text instead', () => {
    const error = errorOf('famly:old');
    expect(error).toContain('Unknown filter "famly:"');
    for (const { key } of TRAFFIC_FILTER_KEYS) expect(error).toContain(`${key}:`);
    expect(error).toContain('put it in quotes');
    expect(errorOf('localhost:8080')).toContain('Unknown filter "localhost:"');
  });

  it('explains bad values and missing values', () => {
    expect(errorOf('family:ancient')).toBe(
      'family:ancient is not a known value; use one of old, new, mixed, none',
    );
    expect(errorOf('status-code:40')).toContain('use three digits (401), a class (4xx) or none');
    expect(errorOf('method:')).toBe('"method:" needs a value, e.g. method:POST');
    expect(errorOf('source:browser')).toContain('proxy, overlay, window, probe');
  });

  it('reports the terms it understood', () => {
    const parsed = parseTrafficFilter('-family:old sign-in');
    expect(parsed.ok && parsed.filter.terms).toEqual([
      { negated: true, key: 'family', value: 'old' },
      { negated: false, key: null, value: 'sign-in' },
    ]);
  });
});
