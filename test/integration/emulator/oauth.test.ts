import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CompatMode, RunningEmulator } from '../../../main/emulator/index.js';
import { buildCookieName, dualResponseHeaderNames, identifier } from '../../../shared/registry/index.js';
import { apiFetch, setupTestEmulator } from '../../helpers/emulator.js';
import { sdkApps } from './sdk-scenario.js';

const [KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');
const RESPONSE_MODE = identifier('param.response-mode');
const REDIRECT_URI = 'http://localhost:3000/handler/oauth-callback';

interface Flow {
  readonly verifier: string;
  readonly innerState: string;
  /** Where the authorize endpoint sent the browser: the identity provider's `/auth`. */
  readonly providerUrl: string;
  readonly setCookies: string[];
}

/** Start a flow the way the SDK builds the authorize URL (client-interface getOAuthUrl). */
async function authorize(
  emulator: RunningEmulator,
  options: { provider?: string; mode?: Record<string, string>; extra?: Record<string, string> } = {},
) {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${emulator.apiUrl}/api/v1/auth/oauth/authorize/${options.provider ?? 'github'}`);
  const params = {
    client_id: emulator.projectId,
    client_secret: emulator.publishableClientKey,
    redirect_uri: REDIRECT_URI,
    scope: 'legacy',
    state: 'outer-state',
    grant_type: 'authorization_code',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    response_type: 'code',
    type: 'authenticate',
    ...options.mode,
    ...options.extra,
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return { response: await fetch(url, { redirect: 'manual' }), verifier };
}

async function redirectFlow(emulator: RunningEmulator, extra?: Record<string, string>): Promise<Flow> {
  const { response, verifier } = await authorize(emulator, { extra });
  expect(response.status).toBe(307);
  const providerUrl = response.headers.get('location')!;
  return {
    verifier,
    providerUrl,
    innerState: new URL(providerUrl).searchParams.get('state')!,
    setCookies: response.headers.getSetCookie(),
  };
}

const cookieNames = (setCookies: string[]) => setCookies.map((c) => c.split('=')[0]);
const innerCookie = (family: 'stack' | 'hexclave', state: string) =>
  `${buildCookieName({ kind: 'oauth-inner', family, state })}=true`;

/**
 * Be the person at the identity provider, as a browser would: follow its redirects with its cookies, fill in
 * the sign-in form (or press Deny), and stop at the redirect back to the emulator. Returns that callback URL.
 */
async function signInAtProvider(
  providerUrl: string,
  person: { email: string; name?: string; deny?: boolean },
): Promise<string> {
  // The issuer: the provider may share its origin with the emulator (mounted at /mock-oauth).
  const issuer = providerUrl.slice(0, providerUrl.indexOf('/auth?'));
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    return response;
  };
  let response = await send(providerUrl);
  for (let step = 0; step < 10; step++) {
    if (response.status === 200) {
      const page = await response.text();
      expect(page).toContain('<form method="post"');
      const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!.replaceAll('&amp;', '&');
      if (person.deny) {
        response = await send(/id="deny" href="([^"]+)"/.exec(page)![1]!.replaceAll('&amp;', '&'));
      } else {
        response = await send(action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ prompt: 'login', login: person.email, name: person.name ?? '' }),
        });
      }
      continue;
    }
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!, issuer).toString();
    if (!location.startsWith(`${issuer}/`)) return location;
    response = await send(location);
  }
  throw new Error('the identity provider did not send the browser back within 10 steps');
}

/** Sign in at the provider and follow its redirect to the emulator's callback with `cookie`. */
async function approveAndCallback(
  flow: Flow,
  cookie: string,
  email = 'ann@example.com',
  options: { deny?: boolean } = {},
) {
  const callbackUrl = await signInAtProvider(flow.providerUrl, { email, name: 'Ann', ...options });
  return fetch(callbackUrl, { redirect: 'manual', headers: { cookie } });
}

async function exchange(emulator: RunningEmulator, code: string, verifier: string) {
  return fetch(`${emulator.apiUrl}/api/v1/auth/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
      client_id: emulator.projectId,
      client_secret: emulator.publishableClientKey,
    }),
  });
}

describe.each(['dual', 'legacy'] as CompatMode[])(
  '%s mode: OAuth with the built-in identity provider',
  (compat) => {
    const emulator = setupTestEmulator({ compat });
    const families = compat === 'dual' ? (['stack', 'hexclave'] as const) : (['stack'] as const);

    it('signs up through authorize → consent → callback → code exchange, then signs the same person in again', async () => {
      const flow = await redirectFlow(emulator());
      expect(cookieNames(flow.setCookies)).toEqual(
        families.map((f) => buildCookieName({ kind: 'oauth-inner', family: f, state: flow.innerState })),
      );
      expect(flow.setCookies[0]).toMatch(/HttpOnly/);
      const callback = await approveAndCallback(flow, innerCookie(families.at(-1)!, flow.innerState));
      expect(callback.status).toBe(303);
      expect(cookieNames(callback.headers.getSetCookie())).toEqual(cookieNames(flow.setCookies));
      const target = new URL(callback.headers.get('location')!);
      expect(target.origin + target.pathname).toBe(REDIRECT_URI);
      expect(target.searchParams.get('state')).toBe('outer-state');
      const tokens = await (
        await exchange(emulator(), target.searchParams.get('code')!, flow.verifier)
      ).json();
      expect(tokens).toMatchObject({
        token_type: 'Bearer',
        is_new_user: true,
        newUser: true,
        refresh_token: expect.any(String),
      });
      const me = await (await apiFetch(emulator(), '/users/me', { accessToken: tokens.access_token })).json();
      expect(me).toMatchObject({
        primary_email: 'ann@example.com',
        primary_email_verified: true,
        display_name: 'Ann',
      });
      expect(me.oauth_providers).toEqual([
        { id: 'github', account_id: expect.any(String), email: 'ann@example.com' },
      ]);

      const replay = await exchange(emulator(), target.searchParams.get('code')!, flow.verifier);
      expect([replay.status, replay.headers.get(KNOWN_ERROR)]).toEqual([400, 'INVALID_AUTHORIZATION_CODE']);

      const second = await redirectFlow(emulator());
      const secondCallback = await approveAndCallback(second, innerCookie('stack', second.innerState));
      const code = new URL(secondCallback.headers.get('location')!).searchParams.get('code')!;
      const wrongVerifier = await exchange(emulator(), code, 'not-the-verifier');
      expect(wrongVerifier.headers.get(KNOWN_ERROR)).toBe('INVALID_AUTHORIZATION_CODE');
      const again = await (await exchange(emulator(), code, second.verifier)).json();
      expect(again.is_new_user).toBe(false);
      const meAgain = await (
        await apiFetch(emulator(), '/users/me', { accessToken: again.access_token })
      ).json();
      expect(meAgain.id).toBe(me.id);
    });

    it('links a provider account to the password user with the same sign-in e-mail once it is verified', async () => {
      const email = `linked-${compat}@example.com`;
      const signUp = await (
        await apiFetch(emulator(), '/auth/password/sign-up', {
          method: 'POST',
          body: { email, password: 'long enough 1' },
        })
      ).json();
      // Unverified: upstream refuses to merge, and says it would work once the e-mail is verified.
      const early = await redirectFlow(emulator());
      const refused = await approveAndCallback(early, innerCookie('stack', early.innerState), email);
      const error = new URL(refused.headers.get('location')!).searchParams;
      expect(error.get('errorCode')).toBe('CONTACT_CHANNEL_ALREADY_USED_FOR_AUTH_BY_SOMEONE_ELSE');
      expect(JSON.parse(error.get('details')!).would_work_if_email_was_verified).toBe(true);

      const verify = await apiFetch(emulator(), `/users/${signUp.user_id}`, {
        method: 'PATCH',
        access: 'server',
        body: { primary_email_verified: true },
      });
      expect(verify.status).toBe(200);
      const flow = await redirectFlow(emulator());
      const callback = await approveAndCallback(flow, innerCookie('stack', flow.innerState), email);
      const tokens = await (
        await exchange(
          emulator(),
          new URL(callback.headers.get('location')!).searchParams.get('code')!,
          flow.verifier,
        )
      ).json();
      expect(tokens.is_new_user).toBe(false);
      expect(
        (await (await apiFetch(emulator(), '/users/me', { accessToken: tokens.access_token })).json()).id,
      ).toBe(signUp.user_id);
    });

    it('asks for the second factor at the code exchange when the user has a TOTP', async () => {
      const email = `oauth-mfa-${compat}@example.com`;
      const first = await redirectFlow(emulator());
      const firstCallback = await approveAndCallback(first, innerCookie('stack', first.innerState), email);
      const code = new URL(firstCallback.headers.get('location')!).searchParams.get('code')!;
      const tokens = await (await exchange(emulator(), code, first.verifier)).json();
      const secret = Buffer.from('twenty byte secret!!').toString('base64');
      const set = await apiFetch(emulator(), '/users/me', {
        method: 'PATCH',
        accessToken: tokens.access_token,
        body: { totp_secret_base64: secret },
      });
      expect(set.status).toBe(200);
      const again = await redirectFlow(emulator());
      const callback = await approveAndCallback(again, innerCookie('stack', again.innerState), email);
      const mfa = await exchange(
        emulator(),
        new URL(callback.headers.get('location')!).searchParams.get('code')!,
        again.verifier,
      );
      expect([mfa.status, mfa.headers.get(KNOWN_ERROR)]).toEqual([
        400,
        'MULTI_FACTOR_AUTHENTICATION_REQUIRED',
      ]);
      expect((await mfa.json()).details.attempt_code).toMatch(/^[0-9a-z]{45}$/);
    });

    it('gives the app the provider’s access token for a connected account, through the real SDK', async () => {
      const email = `connected-${compat}@example.com`;
      const flow = await redirectFlow(emulator());
      const callback = await approveAndCallback(flow, innerCookie('stack', flow.innerState), email);
      const code = new URL(callback.headers.get('location')!).searchParams.get('code')!;
      const tokens = await (await exchange(emulator(), code, flow.verifier)).json();
      // The old SDK sends x-stack-* only, which both modes read.
      const user = await sdkApps('old', emulator()).clientWithTokens(tokens.refresh_token).getUser();
      const accounts = await user!.listConnectedAccounts();
      expect(accounts.map((a) => [a.provider, a.providerAccountId])).toEqual([['github', email]]);
      const token = await accounts[0]!.getAccessToken();
      if (token.status !== 'ok') throw new Error(`no access token: ${JSON.stringify(token.error)}`);
      // The token is the provider's own: its userinfo endpoint says who it belongs to.
      const me = await fetch(`${emulator().mockOAuthUrl}/me`, {
        headers: { authorization: `Bearer ${token.data.accessToken}` },
      });
      expect((await me.json()).sub).toBe(email);
      const other = await apiFetch(emulator(), '/connected-accounts/me/google/access-token', {
        method: 'POST',
        accessToken: tokens.access_token,
        body: {},
      });
      expect(other.headers.get(KNOWN_ERROR)).toBe('OAUTH_CONNECTION_NOT_CONNECTED_TO_USER');
    });

    it('refuses a callback without the inner cookie, or with only the cookie family this backend does not know', async () => {
      const flow = await redirectFlow(emulator());
      const noCookie = await approveAndCallback(flow, '');
      expect(noCookie.status).toBe(400);
      expect(await noCookie.text()).toContain('Inner OAuth cookie not found');
      if (compat === 'legacy') {
        const fresh = await redirectFlow(emulator());
        const hexclaveOnly = await approveAndCallback(fresh, innerCookie('hexclave', fresh.innerState));
        expect(hexclaveOnly.status).toBe(400);
      }
    });

    it('sends a denial at the provider back to the app as OAUTH_PROVIDER_ACCESS_DENIED', async () => {
      const flow = await redirectFlow(emulator(), {
        error_redirect_url: 'http://localhost:3000/oauth-error',
      });
      const denied = await approveAndCallback(flow, innerCookie('stack', flow.innerState), 'x@example.com', {
        deny: true,
      });
      expect(denied.status).toBe(307);
      // Upstream's order: the app's redirect URI when it is trusted (it is), else the error redirect URL.
      const target = new URL(denied.headers.get('location')!);
      expect(target.origin + target.pathname).toBe(REDIRECT_URI);
      expect(target.searchParams.get('errorCode')).toBe('OAUTH_PROVIDER_ACCESS_DENIED');
      expect(target.searchParams.get('error')).toBe('server_error');
    });

    it('answers json response mode with the provider URL and needs no inner cookie then (PKCE protects it)', async () => {
      const { response, verifier } = await authorize(emulator(), { mode: { [RESPONSE_MODE.old]: 'json' } });
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toEqual([]);
      const { location } = await response.json();
      expect(new URL(location).href.startsWith(`${emulator().mockOAuthUrl}/auth?`)).toBe(true);
      const callback = await fetch(
        await signInAtProvider(location, { email: `json-${compat}@example.com` }),
        {
          redirect: 'manual',
        },
      );
      expect(callback.status).toBe(303);
      const code = new URL(callback.headers.get('location')!).searchParams.get('code')!;
      expect((await exchange(emulator(), code, verifier)).status).toBe(200);
    });

    it(`${compat === 'dual' ? 'prefers' : 'ignores'} ${RESPONSE_MODE.new}`, async () => {
      const hexclaveJson = await authorize(emulator(), {
        mode: { [RESPONSE_MODE.new!]: 'json', [RESPONSE_MODE.old]: 'redirect' },
      });
      expect(hexclaveJson.response.status).toBe(compat === 'dual' ? 200 : 307);
    });

    it('refuses an unknown provider and a wrong client', async () => {
      const unknown = await authorize(emulator(), { provider: 'myspace' });
      expect(unknown.response.headers.get(KNOWN_ERROR)).toBe('OAUTH_PROVIDER_NOT_FOUND_OR_NOT_ENABLED');
      const wrongKey = await authorize(emulator(), { extra: { client_secret: 'pck_wrong' } });
      expect(wrongKey.response.headers.get(KNOWN_ERROR)).toBe('INVALID_PUBLISHABLE_CLIENT_KEY');
    });
  },
);

describe('the identity provider on a port of its own (--mock-oauth-port, where upstream runs its mock server)', () => {
  const emulator = setupTestEmulator({ compat: 'legacy', mockOAuthPort: 0 });

  it('serves the flow from its own origin, and nothing at /mock-oauth on the API port', async () => {
    const issuer = emulator().mockOAuthUrl;
    expect(new URL(issuer).port).not.toBe(new URL(emulator().apiUrl).port);
    const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({ issuer, authorization_endpoint: `${issuer}/auth` });
    expect((await fetch(`${emulator().apiUrl}/mock-oauth/.well-known/openid-configuration`)).status).toBe(
      404,
    );

    const flow = await redirectFlow(emulator());
    expect(new URL(flow.providerUrl).origin).toBe(new URL(issuer).origin);
    const callback = await approveAndCallback(
      flow,
      innerCookie('stack', flow.innerState),
      'own-port@example.com',
    );
    expect(callback.status).toBe(303);
    const code = new URL(callback.headers.get('location')!).searchParams.get('code')!;
    const tokens = await (await exchange(emulator(), code, flow.verifier)).json();
    const me = await (await apiFetch(emulator(), '/users/me', { accessToken: tokens.access_token })).json();
    expect(me.primary_email).toBe('own-port@example.com');
  });

  it('sends no browser to a redirect URI other than the emulator’s callback, and refuses a wrong client secret', async () => {
    const issuer = emulator().mockOAuthUrl;
    const evil = new URL(`${issuer}/auth`);
    for (const [key, value] of Object.entries({
      client_id: 'github',
      redirect_uri: 'https://attacker.example/steal',
      response_type: 'code',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    }))
      evil.searchParams.set(key, value);
    const refused = await fetch(evil, { redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();

    const token = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('github:not-the-secret').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: 'x' }),
    });
    expect(token.status).toBe(401);
    expect((await token.json()).error).toBe('invalid_client');
  });
});
