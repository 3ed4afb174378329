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
    });
  });

  it('names the wrong project, or lists what would be accepted', () => {
    expect(checkIssuer('https://api.hexclave.com/api/v1/projects-restricted-users/p1', 'p1')).toEqual({
      ok: true,
      kind: 'restricted',
      host: 'hexclave',
    });
    const wrongProject = checkIssuer('https://api.hexclave.com/api/v1/projects/p2', 'p1');
    expect(wrongProject).toEqual({
      ok: false,
      reason: expect.stringContaining('for project "p2", not "p1"'),
    });
    const foreign = checkIssuer('https://evil.example/api/v1/projects/p1', 'p1');
    expect(foreign.ok).toBe(false);
    expect(!foreign.ok && foreign.reason).toContain('api.stack-auth.com or api.hexclave.com');
  });
});
