import { describe, expect, it } from 'vitest';
import { formatCountdown, signedInUser } from '../../../overlay/analysis/user.js';
import { acceptedIssuers, issuerFor } from '../../../shared/registry/index.js';

const PROJECT = '3f0c8d8e-5a4b-4f43-9d6e-0a1b2c3d4e5f';
const BASE = 'http://localhost:8102';

function jwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'ES256', kid: 'k' })}.${part(claims)}.c2lnbmF0dXJl`;
}

const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'user-1',
  iss: issuerFor(BASE, PROJECT, 'normal'),
  aud: PROJECT,
  iat: 1_700_000_000,
  exp: 1_700_000_600,
  email: 'ada@example.com',
  name: 'Ada',
  ...extra,
});

describe('signed-in user', () => {
  it('reads the user from the token and accepts the issuer of the backend it talks to', () => {
    const user = signedInUser(
      [{ token: jwt(claims()), source: 'cookie hexclave-access', seenAt: 1 }],
      [BASE],
    );
    expect(user).toMatchObject({
      id: 'user-1',
      email: 'ada@example.com',
      name: 'Ada',
      projectId: PROJECT,
      expiresAt: 1_700_000_600_000,
      source: 'cookie hexclave-access',
      issuerVerdict: { ok: true },
    });
  });

  it('accepts the issuer of the origin the backend signs with when the page reaches it through a proxy', () => {
    const viaProxy = signedInUser(
      [{ token: jwt(claims()), source: 'cookie hexclave-access', seenAt: 1 }],
      ['http://127.0.0.1:9100'],
    )!;
    expect(viaProxy.issuerVerdict).toEqual({ ok: true, detail: expect.stringContaining(BASE) });
  });

  it('rejects an issuer of another project, naming it, and one the registry does not accept', () => {
    const other = claims({ iss: acceptedIssuers('another-project')[0]!.url });
    const verdict = signedInUser([{ token: jwt(other), source: 'x', seenAt: 1 }], [BASE])!.issuerVerdict;
    expect(verdict).toEqual({ ok: false, detail: expect.stringContaining('"another-project"') });
    const foreign = claims({ iss: 'https://evil.example/api/v1/projects/x' });
    expect(signedInUser([{ token: jwt(foreign), source: 'x', seenAt: 1 }], [BASE])!.issuerVerdict.ok).toBe(
      false,
    );
  });

  it('picks the newest token (by iat) and strips the anonymous audience suffix', () => {
    const older = { token: jwt(claims({ sub: 'old', iat: 1 })), source: 'header', seenAt: 5 };
    const newer = {
      token: jwt(claims({ sub: 'new', iat: 2, aud: `${PROJECT}:anon`, is_anonymous: true })),
      source: 'cookie',
      seenAt: 1,
    };
    const user = signedInUser([older, newer, { token: 'garbage', source: 'z', seenAt: 9 }], [BASE])!;
    expect(user).toMatchObject({ id: 'new', anonymous: true, projectId: PROJECT });
    expect(signedInUser([{ token: 'garbage', source: 'z', seenAt: 9 }], [BASE])).toBeNull();
  });

  it('counts down to expiry and says how long ago it expired', () => {
    expect(formatCountdown(130_000, 0)).toBe('expires in 2m 10s');
    expect(formatCountdown(0, 12_000)).toBe('expired 12s ago');
    expect(formatCountdown(null, 0)).toBe('no expiry');
  });
});
