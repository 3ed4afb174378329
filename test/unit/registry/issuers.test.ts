import { describe, expect, it } from 'vitest';
import { acceptedIssuers, checkIssuer, issuerFor } from '../../../shared/registry/index.js';

describe('JWT issuers', () => {
  it('accepts the three kinds on both hosted domains', () => {
    const urls = acceptedIssuers('p1').map((i) => i.url);
    expect(urls).toEqual(
      expect.arrayContaining([
        'https://api.stack-auth.com/api/v1/projects/p1',
        'https://api.hexclave.com/api/v1/projects/p1',
        'https://api.stack-auth.com/api/v1/projects-anonymous-users/p1',
        'https://api.hexclave.com/api/v1/projects-anonymous-users/p1',
        'https://api.stack-auth.com/api/v1/projects-restricted-users/p1',
        'https://api.hexclave.com/api/v1/projects-restricted-users/p1',
      ]),
    );
    expect(urls).toHaveLength(6);
  });

  it('builds a self-hosted issuer from the configured base URL, as upstream does', () => {
    expect(issuerFor('http://127.0.0.1:8102', 'p1', 'anonymous')).toBe(
      'http://127.0.0.1:8102/api/v1/projects-anonymous-users/p1',
    );
    expect(checkIssuer('http://127.0.0.1:8102/api/v1/projects/p1', 'p1', ['http://127.0.0.1:8102'])).toEqual({
      ok: true,
      kind: 'normal',
      host: 'custom',
      origin: 'http://127.0.0.1:8102',
    });
  });

  it('accepts the right path and project under any origin, reporting the origin', () => {
    expect(checkIssuer('https://api.hexclave.com/api/v1/projects-restricted-users/p1', 'p1')).toEqual({
      ok: true,
      kind: 'restricted',
      host: 'hexclave',
      origin: 'https://api.hexclave.com',
    });
    // The backend signs with 127.0.0.1; it was reached at localhost, through a tunnel or a reverse proxy.
    expect(
      checkIssuer('http://127.0.0.1:8102/api/v1/projects-anonymous-users/p1', 'p1', [
        'http://localhost:8102',
      ]),
    ).toEqual({ ok: true, kind: 'anonymous', host: 'other', origin: 'http://127.0.0.1:8102' });
  });

  it('names the wrong project or the wrong path', () => {
    expect(checkIssuer('https://api.hexclave.com/api/v1/projects/p2', 'p1')).toEqual({
      ok: false,
      reason: expect.stringContaining('for project "p2", not "p1"'),
    });
    for (const iss of [
      'https://evil.example/api/v2/projects/p1',
      'https://evil.example/api/v1/projects/p1/extra',
      'https://evil.example/v1/projects/p1',
      'not a url',
      'https://api.stack-auth.com/api/v1/projects/p1?x=1',
    ]) {
      const verdict = checkIssuer(iss, 'p1');
      expect(verdict.ok, iss).toBe(false);
    }
    const wrongPath = checkIssuer('https://evil.example/api/v2/projects/p1', 'p1');
    expect(!wrongPath.ok && wrongPath.reason).toContain('/api/v1/projects/p1');
  });
});
