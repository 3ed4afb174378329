import { describe, expect, it } from 'vitest';
import { createFamilyTracker, toHar } from '../../../shared/checker/index.js';
import { buildCookieName, requestHeaderName } from '../../../shared/registry/index.js';
import { exchange, PROJECT_ID } from '../../helpers/exchanges.js';

const SECRETS = {
  jwt: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlc2lnbmF0dXJl',
  refresh: 'refreshrefreshrefreshrefreshrefresh',
  pck: 'pck_0123456789abcdefghjkmnpqrstvwxyz0123456789',
  ssk: 'ssk_0123456789abcdefghjkmnpqrstvwxyz0123456789',
  password: 'hunter2-correct-horse',
  cookie: 'cookievaluecookievalue',
};

function probeTraffic() {
  return [
    exchange({
      method: 'POST',
      path: '/api/v1/auth/password/sign-in',
      requestHeaders: {
        [requestHeaderName('header.publishable-client-key', 'hexclave')]: SECRETS.pck,
        [requestHeaderName('header.secret-server-key', 'stack')]: SECRETS.ssk,
        'content-type': 'application/json',
        cookie: `${buildCookieName({ kind: 'access', family: 'stack' })}=${SECRETS.cookie}`,
      },
      requestBody: JSON.stringify({ email: 'a@example.com', password: SECRETS.password }),
      responseHeaders: [
        [
          'set-cookie',
          `${buildCookieName({ kind: 'oauth-inner', family: 'hexclave', state: 's' })}=${SECRETS.cookie}; Path=/`,
        ],
      ],
      responseBody: { access_token: SECRETS.jwt, refresh_token: SECRETS.refresh, user_id: 'u' },
    }),
    exchange({
      method: 'POST',
      path: '/api/v1/auth/oauth/token',
      requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
      requestBody: `grant_type=refresh_token&refresh_token=${SECRETS.refresh}&client_id=${PROJECT_ID}&client_secret=${SECRETS.pck}`,
      responseBody: { access_token: SECRETS.jwt },
    }),
  ];
}

describe('HAR export', () => {
  it('redacts tokens, keys, passwords and cookie values by default', () => {
    const har = JSON.stringify(toHar(probeTraffic().map((e) => ({ exchange: e }))));
    for (const secret of Object.values(SECRETS)) expect(har).not.toContain(secret);
    expect(har).toContain('pck_•••••');
    expect(har).toContain('a@example.com');
  });

  it('keeps everything with the unsafe opt-in and says so', () => {
    const har = toHar(
      probeTraffic().map((e) => ({ exchange: e })),
      { unsafe: true },
    );
    const text = JSON.stringify(har);
    for (const secret of Object.values(SECRETS)) expect(text).toContain(secret);
    expect(har.log.comment).toMatch(/^UNSAFE/);
    expect(har.log.entries[0]!.response.cookies[0]!.value).toBe(SECRETS.cookie);
  });
});

describe('SDK family attribution', () => {
  it('attributes the header-less token refresh to the family that signed in with that session', () => {
    const tracker = createFamilyTracker();
    const [signIn, refresh] = probeTraffic();
    expect(tracker.attribute(signIn!)).toMatchObject({ family: 'mixed', source: 'headers' });
    expect(tracker.attribute(refresh!)).toMatchObject({ family: 'mixed', source: 'session' });
    expect(createFamilyTracker().attribute(refresh!)).toMatchObject({ family: 'none', source: 'none' });
  });
});
