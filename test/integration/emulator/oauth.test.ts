import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CompatMode, RunningEmulator } from '../../../main/emulator/index.js';
import { buildCookieName, dualResponseHeaderNames, identifier } from '../../../shared/registry/index.js';
import { apiFetch, setupTestEmulator } from '../../helpers/emulator.js';

const [KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');
const RESPONSE_MODE = identifier('param.response-mode');
const REDIRECT_URI = 'http://localhost:3000/handler/oauth-callback';

interface Flow {
  readonly verifier: string;
  readonly innerState: string;
  readonly consentUrl: string;
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

async function redirectFlow(emulator: RunningEmulator): Promise<Flow> {
  const { response, verifier } = await authorize(emulator);
  expect(response.status).toBe(307);
  const consentUrl = response.headers.get('location')!;
  return {
    verifier,
    consentUrl,
    innerState: new URL(consentUrl).searchParams.get('state')!,
    setCookies: response.headers.getSetCookie(),
  };
}

const cookieNames = (setCookies: string[]) => setCookies.map((c) => c.split('=')[0]);
const innerCookie = (family: 'stack' | 'hexclave', state: string) =>
  `${buildCookieName({ kind: 'oauth-inner', family, state })}=true`;

/** Approve on the mock provider's consent page (a GET) and follow to the emulator's callback with `cookie`. */
async function approveAndCallback(
  emulator: RunningEmulator,
  flow: Flow,
  cookie: string,
  email = 'ann@example.com',
  extra = '',
) {
  const consent = await fetch(flow.consentUrl);
  expect(consent.status).toBe(200);
  expect(await consent.text()).toContain('id="approve"');
  const approve = await fetch(
    `${emulator.apiUrl}/mock-oauth/github/approve?state=${flow.innerState}&email=${encodeURIComponent(email)}&name=Ann${extra}`,
    { redirect: 'manual' },
  );
  expect(approve.status).toBe(302);
  return fetch(approve.headers.get('location')!, { redirect: 'manual', headers: { cookie } });
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
      const callback = await approveAndCallback(
        emulator(),
        flow,
        innerCookie(families.at(-1)!, flow.innerState),
      );
      expect(callback.status).toBe(307);
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
      const secondCallback = await approveAndCallback(
        emulator(),
        second,
        innerCookie('stack', second.innerState),
      );
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

    it('links a provider account to the password user with the same sign-in e-mail', async () => {
      const email = `linked-${compat}@example.com`;
      const signUp = await (
        await apiFetch(emulator(), '/auth/password/sign-up', {
          method: 'POST',
          body: { email, password: 'long enough 1' },
        })
      ).json();
      const flow = await redirectFlow(emulator());
      const callback = await approveAndCallback(
        emulator(),
        flow,
        innerCookie('stack', flow.innerState),
        email,
      );
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

    it('refuses a callback without the inner cookie, or with only the cookie family this backend does not know', async () => {
      const flow = await redirectFlow(emulator());
      const noCookie = await approveAndCallback(emulator(), flow, '');
      expect(noCookie.status).toBe(400);
      expect(await noCookie.text()).toContain('Inner OAuth cookie not found');
      if (compat === 'legacy') {
        const fresh = await redirectFlow(emulator());
        const hexclaveOnly = await approveAndCallback(
          emulator(),
          fresh,
          innerCookie('hexclave', fresh.innerState),
        );
        expect(hexclaveOnly.status).toBe(400);
      }
    });

    it('reports a denied consent on the error redirect URL, or as a known error without one', async () => {
      const { response } = await authorize(emulator(), {
        extra: { error_redirect_url: 'http://localhost:3000/oauth-error' },
      });
      const flow = {
        consentUrl: response.headers.get('location')!,
        innerState: new URL(response.headers.get('location')!).searchParams.get('state')!,
        verifier: '',
        setCookies: [],
      };
      const denied = await approveAndCallback(
        emulator(),
        flow,
        innerCookie('stack', flow.innerState),
        'x@example.com',
        '&deny=1',
      );
      const target = new URL(denied.headers.get('location')!);
      expect(target.pathname).toBe('/oauth-error');
      expect(target.searchParams.get('errorCode')).toBe('OAUTH_PROVIDER_ACCESS_DENIED');
      const plain = await redirectFlow(emulator());
      const deniedPlain = await approveAndCallback(
        emulator(),
        plain,
        innerCookie('stack', plain.innerState),
        'x@example.com',
        '&deny=1',
      );
      expect([deniedPlain.status, deniedPlain.headers.get(KNOWN_ERROR)]).toEqual([
        400,
        'OAUTH_PROVIDER_ACCESS_DENIED',
      ]);
    });

    it('answers json response mode with the location and sets the inner cookie on the consent page', async () => {
      const { response } = await authorize(emulator(), { mode: { [RESPONSE_MODE.old]: 'json' } });
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toEqual([]);
      const { location } = await response.json();
      const consent = await fetch(location);
      const state = new URL(location).searchParams.get('state')!;
      expect(cookieNames(consent.headers.getSetCookie())).toEqual(
        families.map((f) => buildCookieName({ kind: 'oauth-inner', family: f, state })),
      );
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
