import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import {
  type AuthorizationRequest,
  FlowStore,
  type IssuedToken,
  LIFETIME_SECONDS,
  type MockAccount,
  randomToken,
} from './flows.js';
import { errorPage, loginPage, redirectingPage } from './pages.js';

export interface MockOAuthProviderOptions {
  /** The provider's public base URL (what browsers reach): `iss`, and where every page and redirect points. */
  readonly issuer: string;
  /** Redirect URIs the provider accepts must start with one of these (the emulator's OAuth callback URLs). */
  readonly redirectUriPrefixes: readonly string[];
}

export interface MockOAuthProvider {
  readonly issuer: string;
  /** The one client secret every client id (one per provider type) authenticates with at the token endpoint. */
  readonly clientSecret: string;
  /** Routes relative to the issuer's path: mount it there, or serve it at the root of its own port. */
  readonly app: Hono;
}

const INTERACTION_COOKIE = 'mock_oauth_interaction';
const RESUME_COOKIE = 'mock_oauth_resume';
const CLIENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

class ProtocolError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A small OpenID Connect provider that stands in for every OAuth provider, laid out as upstream's mock server
 * (oidc-provider) is, because upstream's tests walk its redirects: `/auth` → 303 `/interaction/{uid}` (sign in
 * with any e-mail) → 303 `/auth/{uid}` → 303 `/interaction/{uid2}` (consent, approved by default) → 303
 * `/auth/{uid2}` → 303 to the client's redirect URI with `code`, `state` and `iss`. The code is exchanged at
 * `/token` (client_secret_basic or _post, PKCE S256), the user read at `/me`. State lives in memory.
 */
export async function createMockOAuthProvider(options: MockOAuthProviderOptions): Promise<MockOAuthProvider> {
  const issuer = options.issuer.replace(/\/+$/, '');
  const basePath = new URL(issuer).pathname.replace(/\/+$/, '');
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomBytes(9).toString('base64url');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const flows = new FlowStore();
  const app = new Hono();

  const url = (path: string) => `${issuer}${path}`;
  const cookiePath = (path: string) => `${basePath}${path}`;

  /**
   * A redirect answering a GET carries a short HTML page naming the target, as oidc-provider's do (upstream's tests
   * read it as text); one answering a form POST has no body.
   */
  const redirectPage = (c: Context, location: string) => c.html(redirectingPage(location), 303, { location });

  function redirectToClient(c: Context, request: AuthorizationRequest, params: Record<string, string>) {
    const target = new URL(request.redirectUri);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    if (request.state !== null) target.searchParams.set('state', request.state);
    target.searchParams.set('iss', issuer);
    return redirectPage(c, target.toString());
  }

  function goToInteraction(c: Context, uid: string) {
    const cookie = { httpOnly: true, sameSite: 'Lax' as const, maxAge: LIFETIME_SECONDS.interaction };
    setCookie(c, INTERACTION_COOKIE, uid, { ...cookie, path: cookiePath(`/interaction/${uid}`) });
    setCookie(c, RESUME_COOKIE, uid, { ...cookie, path: cookiePath(`/auth/${uid}`) });
    return redirectPage(c, url(`/interaction/${uid}`));
  }

  /** The interaction named in the path, if this browser started it (its cookie names the same uid). */
  function interactionOf(c: Context, cookieName: string) {
    const uid = c.req.param('uid') ?? '';
    const interaction = getCookie(c, cookieName) === uid ? flows.interactions.get(uid) : undefined;
    if (!interaction) {
      throw new ProtocolError(
        'invalid_request',
        'This sign-in was started in another browser, or it has expired. Start again from your app.',
      );
    }
    return { uid, interaction };
  }

  app.onError((error, c) => {
    if (error instanceof ProtocolError) {
      if ((c.req.header('accept') ?? '').includes('text/html') || c.req.method === 'GET') {
        return c.html(errorPage(error.description), error.status as 400);
      }
      return c.json({ error: error.error, error_description: error.description }, error.status as 400);
    }
    return c.json({ error: 'server_error', error_description: String(error) }, 500);
  });

  app.get('/.well-known/openid-configuration', (c) =>
    c.json({
      issuer,
      authorization_endpoint: url('/auth'),
      token_endpoint: url('/token'),
      userinfo_endpoint: url('/me'),
      jwks_uri: url('/jwks'),
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['openid', 'offline_access', 'email', 'profile'],
      claims_supported: ['sub', 'email', 'name'],
      authorization_response_iss_parameter_supported: true,
    }),
  );
  app.get('/jwks', (c) => c.json({ keys: [publicJwk] }));

  app.get('/auth', (c) => {
    const q = c.req.query();
    const clientId = q.client_id ?? '';
    const redirectUri = q.redirect_uri ?? '';
    // Until the client and its redirect URI check out, errors are shown here, never sent to an unchecked URL.
    if (!CLIENT_ID.test(clientId)) throw new ProtocolError('invalid_client', 'Unknown client_id.');
    if (!options.redirectUriPrefixes.some((prefix) => redirectUri.startsWith(prefix))) {
      throw new ProtocolError(
        'invalid_redirect_uri',
        `redirect_uri must be one of the emulator's OAuth callback URLs (${options.redirectUriPrefixes.join(', ')}…).`,
      );
    }
    const request: AuthorizationRequest = {
      clientId,
      redirectUri,
      scope: q.scope ?? '',
      state: q.state ?? null,
      nonce: q.nonce ?? null,
      codeChallenge: q.code_challenge ?? '',
    };
    if (q.response_type !== 'code') {
      return redirectToClient(c, request, {
        error: 'unsupported_response_type',
        error_description: 'Only response_type=code is supported.',
      });
    }
    if (!request.codeChallenge || q.code_challenge_method !== 'S256') {
      return redirectToClient(c, request, {
        error: 'invalid_request',
        error_description: 'PKCE with code_challenge_method=S256 is required.',
      });
    }
    return goToInteraction(c, flows.startInteraction(request, 'login', null));
  });

  app.get('/interaction/:uid', (c) => {
    const { uid, interaction } = interactionOf(c, INTERACTION_COOKIE);
    if (interaction.prompt === 'consent') {
      // Consent is approved without a page, as on upstream's mock provider.
      interaction.consented = true;
      return redirectPage(c, url(`/auth/${uid}`));
    }
    return c.html(
      loginPage({
        clientId: interaction.request.clientId,
        action: url(`/interaction/${uid}`),
        abort: url(`/interaction/${uid}/abort`),
      }),
    );
  });

  app.post('/interaction/:uid', async (c) => {
    const { uid, interaction } = interactionOf(c, INTERACTION_COOKIE);
    const form = new URLSearchParams(await c.req.text());
    const prompt = form.get('prompt');
    if (prompt !== interaction.prompt) {
      throw new ProtocolError('invalid_request', `This step expects prompt=${interaction.prompt}.`);
    }
    if (prompt === 'login') {
      const login = (form.get('login') ?? '').trim();
      if (!login) throw new ProtocolError('invalid_request', 'Enter an e-mail address to sign in with.');
      interaction.account = { sub: login, name: form.get('name')?.trim() || null };
    } else {
      interaction.consented = true;
    }
    return c.redirect(url(`/auth/${uid}`), 303);
  });

  app.get('/interaction/:uid/abort', (c) => {
    const { uid, interaction } = interactionOf(c, INTERACTION_COOKIE);
    interaction.denied = true;
    return redirectPage(c, url(`/auth/${uid}`));
  });

  app.get('/auth/:uid', (c) => {
    const { uid, interaction } = interactionOf(c, RESUME_COOKIE);
    flows.interactions.delete(uid);
    deleteCookie(c, INTERACTION_COOKIE, { path: cookiePath(`/interaction/${uid}`) });
    deleteCookie(c, RESUME_COOKIE, { path: cookiePath(`/auth/${uid}`) });
    const { request, account } = interaction;
    if (interaction.denied) {
      return redirectToClient(c, request, {
        error: 'access_denied',
        error_description: 'End-User aborted interaction',
      });
    }
    if (!account) return goToInteraction(c, flows.startInteraction(request, 'login', null));
    if (!interaction.consented)
      return goToInteraction(c, flows.startInteraction(request, 'consent', account));
    const code = randomToken();
    flows.codes.set(code, { request, account });
    return redirectToClient(c, request, { code });
  });

  /** client_secret_basic (the header) or client_secret_post (the form), as RFC 6749 §2.3.1. */
  function authenticateClient(c: Context, form: URLSearchParams): string {
    const header = c.req.header('authorization') ?? '';
    let id = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    if (header.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
    if (!CLIENT_ID.test(id) || !sameSecret(secret, clientSecret)) {
      throw new ProtocolError('invalid_client', 'Client authentication failed.', 401);
    }
    return id;
  }

  async function tokenResponse(c: Context, issued: IssuedToken, nonce: string | null, refreshToken?: string) {
    const accessToken = randomToken();
    flows.accessTokens.set(accessToken, issued);
    const scopes = issued.scope.split(' ');
    let refresh = refreshToken;
    if (!refresh && scopes.includes('offline_access')) {
      refresh = randomToken();
      flows.refreshTokens.set(refresh, issued);
    }
    const idToken = scopes.includes('openid')
      ? await new SignJWT({ email: issued.account.sub, ...(nonce ? { nonce } : {}) })
          .setProtectedHeader({ alg: 'ES256', kid })
          .setIssuer(issuer)
          .setSubject(issued.account.sub)
          .setAudience(issued.clientId)
          .setIssuedAt()
          .setExpirationTime(`${LIFETIME_SECONDS.accessToken}s`)
          .sign(privateKey)
      : undefined;
    c.header('cache-control', 'no-store');
    return c.json({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: LIFETIME_SECONDS.accessToken,
      scope: issued.scope,
      ...(refresh ? { refresh_token: refresh } : {}),
      ...(idToken ? { id_token: idToken } : {}),
    });
  }

  app.post('/token', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const clientId = authenticateClient(c, form);
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const issued = flows.codes.take(form.get('code') ?? '');
      if (
        !issued ||
        issued.request.clientId !== clientId ||
        issued.request.redirectUri !== form.get('redirect_uri') ||
        sha256(form.get('code_verifier') ?? '') !== issued.request.codeChallenge
      ) {
        throw new ProtocolError('invalid_grant', 'The authorization code is invalid, used, or expired.');
      }
      const { request, account } = issued;
      return tokenResponse(c, { clientId, scope: request.scope, account }, request.nonce);
    }
    if (grantType === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      const issued = flows.refreshTokens.get(refreshToken);
      if (!issued || issued.clientId !== clientId) {
        throw new ProtocolError('invalid_grant', 'The refresh token is invalid or expired.');
      }
      return tokenResponse(c, issued, null, refreshToken);
    }
    throw new ProtocolError('unsupported_grant_type', 'Use authorization_code or refresh_token.');
  });

  const userinfo = (c: Context) => {
    const header = c.req.header('authorization') ?? '';
    const issued = /^bearer /i.test(header) ? flows.accessTokens.get(header.slice(7).trim()) : undefined;
    if (!issued) {
      c.header('www-authenticate', 'Bearer error="invalid_token"');
      return c.json({ error: 'invalid_token', error_description: 'Invalid or expired access token.' }, 401);
    }
    const account: MockAccount = issued.account;
    // Claims by scope, as an OpenID provider releases them; a name the person typed is always theirs to give.
    const email = issued.scope.split(' ').includes('email') ? { email: account.sub } : {};
    return c.json({ sub: account.sub, ...email, ...(account.name ? { name: account.name } : {}) });
  };
  app.get('/me', userinfo);
  app.post('/me', userinfo);

  return { issuer, clientSecret, app };
}
