import { createRemoteJWKSet, decodeJwt, jwtVerify, SignJWT } from 'jose';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { TokenService } from '../../../main/emulator/domain/sessions/index.js';
import { type CompatMode, seedUserEmail } from '../../../main/emulator/index.js';
import {
  acceptedIssuers,
  dualResponseHeaderNames,
  issuerFor,
  requestHeaderName,
} from '../../../shared/registry/index.js';
import { apiFetch, apiHeaders, setupTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

const [KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');
const password = 'correct horse battery';

async function signUp(emulator: TestEmulator, email: string) {
  const response = await apiFetch(emulator, '/auth/password/sign-up', {
    method: 'POST',
    body: { email, password },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token: string; user_id: string };
}

async function errorCode(response: Response): Promise<string | null> {
  return response.headers.get(KNOWN_ERROR);
}

function oauthToken(emulator: TestEmulator, fields: Record<string, string>) {
  return fetch(`${emulator.apiUrl}/api/v1/auth/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      accept: 'application/json',
    },
    body: new URLSearchParams({
      client_id: emulator.projectId,
      client_secret: emulator.publishableClientKey,
      ...fields,
    }),
  });
}

/** A token signed with the emulator's own key but any claims, as another backend of the family would issue. */
async function forgeToken(
  emulator: TestEmulator,
  claims: { iss: string; aud: string; sub: string; is_anonymous?: boolean },
) {
  const pool = new pg.Pool({ connectionString: emulator.internalDatabaseUrl, max: 1 });
  const tokens = await TokenService.load(pool, {
    compat: emulator.compat,
    issuerBase: emulator.issuerBase,
    accessTokenTtlSeconds: 600,
  });
  await pool.end();
  const { kid, privateKey } = await tokens.signingKey(claims.aud);
  return new SignJWT({
    project_id: emulator.projectId,
    branch_id: 'main',
    is_anonymous: false,
    is_restricted: false,
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

describe.each(['dual', 'legacy'] as CompatMode[])('%s mode: sessions and tokens', (compat) => {
  const emulator = setupTestEmulator({ compat, seedUsers: 3 });

  it('signs up, signs in, refuses a wrong password, a taken e-mail and bad passwords', async () => {
    const email = `ada-${compat}@example.com`;
    const { user_id } = await signUp(emulator(), email);
    const signIn = await apiFetch(emulator(), '/auth/password/sign-in', {
      method: 'POST',
      body: { email: email.toUpperCase(), password },
    });
    expect((await signIn.json()).user_id).toBe(user_id);
    const wrong = await apiFetch(emulator(), '/auth/password/sign-in', {
      method: 'POST',
      body: { email, password: 'nope nope' },
    });
    expect([wrong.status, await errorCode(wrong)]).toEqual([400, 'EMAIL_PASSWORD_MISMATCH']);
    const unknown = await apiFetch(emulator(), '/auth/password/sign-in', {
      method: 'POST',
      body: { email: 'who@example.com', password },
    });
    expect(await errorCode(unknown)).toBe('EMAIL_PASSWORD_MISMATCH');
    const taken = await apiFetch(emulator(), '/auth/password/sign-up', {
      method: 'POST',
      body: { email, password },
    });
    expect([taken.status, await errorCode(taken)]).toEqual([409, 'USER_EMAIL_ALREADY_EXISTS']);
    expect((await taken.json()).details).toEqual({ email, would_work_if_email_was_verified: false });
    const short = await apiFetch(emulator(), '/auth/password/sign-up', {
      method: 'POST',
      body: { email: 'b@example.com', password: 'short' },
    });
    expect((await short.json()).details).toEqual({ min_length: 8 });
    const long = await apiFetch(emulator(), '/auth/password/sign-up', {
      method: 'POST',
      body: { email: 'b@example.com', password: 'x'.repeat(71) },
    });
    expect(await errorCode(long)).toBe('PASSWORD_TOO_LONG');
  });

  it('lets seeded users sign in with the seed password', async () => {
    const response = await apiFetch(emulator(), '/auth/password/sign-in', {
      method: 'POST',
      body: { email: seedUserEmail(2), password: 'hexclave-seed-password' },
    });
    expect(response.status).toBe(200);
  });

  it('issues ES256 tokens with every claim the SDK requires, verifiable against the JWKS', async () => {
    const { access_token, user_id } = await signUp(emulator(), `claims-${compat}@example.com`);
    const jwksUrl = `${emulator().apiUrl}/api/v1/projects/${emulator().projectId}/.well-known/jwks.json`;
    const jwks = await fetch(jwksUrl);
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=3600');
    const { payload, protectedHeader } = await jwtVerify(access_token, createRemoteJWKSet(new URL(jwksUrl)), {
      issuer: issuerFor(emulator().apiUrl, emulator().projectId, 'normal'),
      audience: emulator().projectId,
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: expect.stringMatching(/^.{12}$/) });
    expect(payload).toMatchObject({
      sub: user_id,
      project_id: emulator().projectId,
      branch_id: 'main',
      refresh_token_id: expect.any(String),
      role: 'authenticated',
      name: null,
      email: `claims-${compat}@example.com`,
      email_verified: false,
      selected_team_id: null,
      signed_up_at: expect.any(Number),
      is_anonymous: false,
      is_restricted: false,
      restricted_reason: null,
      requires_totp_mfa: false,
    });
    expect(payload.exp! - payload.iat!).toBe(600);
  });

  it('signs anonymous users with the anonymous issuer, and refuses them without allow-anonymous', async () => {
    const response = await apiFetch(emulator(), '/auth/anonymous/sign-up', { method: 'POST' });
    const { access_token } = await response.json();
    const claims = decodeJwt(access_token);
    expect(claims.iss).toBe(issuerFor(emulator().apiUrl, emulator().projectId, 'anonymous'));
    expect(claims.aud).toBe(`${emulator().projectId}:anon`);
    expect(claims.restricted_reason).toEqual({ type: 'anonymous' });
    const me = await apiFetch(emulator(), '/users/me', { accessToken: access_token });
    expect((await me.json()).is_anonymous).toBe(true);
    const headers = apiHeaders(emulator(), { accessToken: access_token });
    delete headers[requestHeaderName('header.allow-anonymous-user', 'stack')];
    const refused = await fetch(`${emulator().apiUrl}/api/v1/users/me`, { headers });
    expect(await errorCode(refused)).toBe('ANONYMOUS_AUTHENTICATION_NOT_ALLOWED');
  });

  it('upgrades an anonymous user in place on password sign-up', async () => {
    const anonymous = await (
      await apiFetch(emulator(), '/auth/anonymous/sign-up', { method: 'POST' })
    ).json();
    const upgraded = await apiFetch(emulator(), '/auth/password/sign-up', {
      method: 'POST',
      accessToken: anonymous.access_token,
      body: { email: `upgraded-${compat}@example.com`, password },
    });
    const body = await upgraded.json();
    expect(body.user_id).toBe(anonymous.user_id);
    expect(decodeJwt(body.access_token).is_anonymous).toBe(false);
  });

  it('refreshes through both endpoints, and not after sign-out', async () => {
    const { access_token, refresh_token } = await signUp(emulator(), `refresh-${compat}@example.com`);
    const viaHeader = await apiFetch(emulator(), '/auth/sessions/current/refresh', {
      method: 'POST',
      refreshToken: refresh_token,
    });
    expect(Object.keys(await viaHeader.json())).toEqual(['access_token']);
    const viaForm = await oauthToken(emulator(), { grant_type: 'refresh_token', refresh_token });
    const tokens = await viaForm.json();
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      expires_in: 600,
      refresh_token,
      is_new_user: false,
      scope: 'legacy',
    });
    expect(decodeJwt(tokens.access_token).refresh_token_id).toBe(decodeJwt(access_token).refresh_token_id);
    const missing = await apiFetch(emulator(), '/auth/sessions/current/refresh', { method: 'POST' });
    expect(await errorCode(missing)).toBe('SCHEMA_ERROR');
    const signOut = await apiFetch(emulator(), '/auth/sessions/current', {
      method: 'DELETE',
      accessToken: access_token,
      body: {},
    });
    expect(await signOut.json()).toEqual({ success: true });
    const again = await apiFetch(emulator(), '/auth/sessions/current', {
      method: 'DELETE',
      accessToken: access_token,
      body: {},
    });
    expect(await errorCode(again)).toBe('REFRESH_TOKEN_NOT_FOUND_OR_EXPIRED');
    const afterForm = await oauthToken(emulator(), { grant_type: 'refresh_token', refresh_token });
    expect([afterForm.status, await errorCode(afterForm)]).toEqual([
      401,
      'REFRESH_TOKEN_NOT_FOUND_OR_EXPIRED',
    ]);
  });

  it('checks the OAuth client on the token endpoint', async () => {
    const { refresh_token } = await signUp(emulator(), `client-${compat}@example.com`);
    const wrongSecret = await oauthToken(emulator(), {
      grant_type: 'refresh_token',
      refresh_token,
      client_secret: 'pck_wrong',
    });
    expect(await errorCode(wrongSecret)).toBe('INVALID_OAUTH_CLIENT_ID_OR_SECRET');
    const noKey = await oauthToken(emulator(), {
      grant_type: 'refresh_token',
      refresh_token,
      client_secret: '__stack_public_client__',
    });
    expect(await errorCode(noKey)).toBe('PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT');
    const unknownProject = await oauthToken(emulator(), {
      grant_type: 'refresh_token',
      refresh_token,
      client_id: 'nope',
    });
    expect(await errorCode(unknownProject)).toBe('INVALID_OAUTH_CLIENT_ID_OR_SECRET');
    const withBranch = await oauthToken(emulator(), {
      grant_type: 'refresh_token',
      refresh_token,
      client_id: `${emulator().projectId}#main`,
    });
    expect(withBranch.status).toBe(200);
  });

  it(`${compat === 'dual' ? 'accepts' : 'rejects'} tokens issued under the other hosts' issuers`, async () => {
    const { user_id } = await signUp(emulator(), `issuer-${compat}@example.com`);
    const hosted = acceptedIssuers(emulator().projectId).filter((i) => i.kind === 'normal');
    expect(hosted.map((i) => i.host)).toEqual(['stack', 'hexclave']);
    for (const issuer of hosted) {
      const token = await forgeToken(emulator(), {
        iss: issuer.url,
        aud: emulator().projectId,
        sub: user_id,
      });
      const response = await apiFetch(emulator(), '/users/me', { accessToken: token });
      if (compat === 'dual') expect((await response.json()).id).toBe(user_id);
      else expect(await errorCode(response)).toBe('UNPARSABLE_ACCESS_TOKEN');
    }
    const mismatched = await forgeToken(emulator(), {
      iss: issuerFor(emulator().apiUrl, emulator().projectId, 'anonymous'),
      aud: emulator().projectId,
      sub: user_id,
    });
    expect(await errorCode(await apiFetch(emulator(), '/users/me', { accessToken: mismatched }))).toBe(
      'UNPARSABLE_ACCESS_TOKEN',
    );
  });

  it('refuses a token for another project', async () => {
    const otherProject = '11111111-1111-4111-8111-111111111111';
    const token = await forgeToken(emulator(), {
      iss: issuerFor(emulator().apiUrl, otherProject, 'normal'),
      aud: otherProject,
      sub: otherProject,
    });
    const response = await apiFetch(emulator(), '/users/me', { accessToken: token });
    expect(await errorCode(response)).toBe('INVALID_PROJECT_FOR_ACCESS_TOKEN');
    expect((await response.json()).details).toEqual({
      expected_project_id: emulator().projectId,
      actual_project_id: otherProject,
    });
  });
});

describe('token lifetime', () => {
  const emulator = setupTestEmulator({ accessTokenTtl: '1s' });

  it('answers an expired token with ACCESS_TOKEN_EXPIRED and its details', async () => {
    const { access_token, user_id } = await signUp(emulator(), 'short-lived@example.com');
    const me = () => apiFetch(emulator(), '/users/me', { accessToken: access_token });
    await expect
      .poll(async () => errorCode(await me()), { timeout: 5000, interval: 100 })
      .toBe('ACCESS_TOKEN_EXPIRED');
    const response = await me();
    expect((await response.json()).details).toMatchObject({ project_id: emulator().projectId, user_id });
  });
});
