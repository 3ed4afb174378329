import * as oauth from 'oauth4webapi';
import { knownError, StatusError } from '../../errors/index.js';

/** Where a running emulator's identity provider is (see main/emulator/mock-oauth). */
export interface IdentityProviderEndpoint {
  /** What browsers reach: the authorize URL's base and the `iss` of the provider's responses. */
  readonly issuer: string;
  /** Where the emulator itself calls the token and userinfo endpoints (loopback). */
  readonly internalUrl: string;
  readonly clientSecret: string;
}

/** What the provider says about the person who signed in, as upstream's mock provider class maps it. */
export interface ProviderIdentity {
  readonly accountId: string;
  readonly email: string | null;
  readonly emailVerified: boolean;
  readonly displayName: string | null;
  readonly profileImageUrl: string | null;
}

/** The provider's tokens for the person, kept for connected accounts. */
export interface ProviderTokens {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  readonly expiresInSeconds: number;
  readonly scopes: string[];
}

/** Upstream's mock provider scope; a project's `provider_scope` is merged in. */
const BASE_SCOPE = 'openid offline_access';

const mergeScopes = (...scopes: (string | undefined)[]) =>
  [...new Set(scopes.flatMap((s) => (s ?? '').split(/\s+/)).filter(Boolean))].join(' ');

function authorizationServer(endpoint: IdentityProviderEndpoint): oauth.AuthorizationServer {
  return {
    issuer: endpoint.issuer,
    authorization_endpoint: `${endpoint.issuer}/auth`,
    token_endpoint: `${endpoint.internalUrl}/token`,
    userinfo_endpoint: `${endpoint.internalUrl}/me`,
    authorization_response_iss_parameter_supported: true,
  };
}

/**
 * The provider URL the authorize endpoint redirects to, with upstream's parameters in upstream's order (its
 * tests compare the URL): the provider type as client id, PKCE S256 with the flow's inner verifier, offline
 * access and a consent prompt.
 */
export function providerAuthorizationUrl(
  endpoint: IdentityProviderEndpoint,
  flow: { clientId: string; redirectUri: string; codeVerifier: string; state: string; extraScope?: string },
): Promise<string> {
  return oauth.calculatePKCECodeChallenge(flow.codeVerifier).then((challenge) => {
    const url = new URL(`${endpoint.issuer}/auth`);
    url.searchParams.set('client_id', flow.clientId);
    url.searchParams.set('scope', mergeScopes(BASE_SCOPE, flow.extraScope));
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', flow.redirectUri);
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('state', flow.state);
    url.searchParams.set('access_type', 'offline');
    url.searchParams.set('prompt', 'consent');
    return url.toString();
  });
}

export const generateCodeVerifier = () => oauth.generateRandomCodeVerifier();

const insecure = { [oauth.allowInsecureRequests]: true };
const INVALID_GRANT = 'Inner OAuth callback failed due to invalid grant. Please try again.';

/** Upstream's mapping of a provider's refusal to what the client sees. */
function providerError(error: unknown): never {
  if (error instanceof oauth.AuthorizationResponseError || error instanceof oauth.ResponseBodyError) {
    if (error.error === 'access_denied' || error.error === 'consent_required') {
      throw knownError('OAUTH_PROVIDER_ACCESS_DENIED');
    }
    if (error.error === 'invalid_grant') throw new StatusError(400, INVALID_GRANT);
    if (error.error === 'invalid_client') {
      throw new StatusError(
        400,
        'Invalid client credentials for this OAuth provider. Please ensure the configuration in the Stack Auth dashboard is correct.',
      );
    }
    throw new StatusError(
      400,
      `The OAuth provider answered ${error.error}: ${error.error_description ?? ''}`,
    );
  }
  if (error instanceof oauth.OperationProcessingError) {
    // A callback whose state or issuer does not match this flow: someone else's, or a replayed one.
    throw new StatusError(400, `The OAuth provider's response does not match this sign-in: ${error.message}`);
  }
  // The provider could not be reached (fetch failed): upstream answers that it is temporarily unavailable.
  if (error instanceof TypeError) throw knownError('OAUTH_PROVIDER_TEMPORARILY_UNAVAILABLE');
  throw error;
}

/**
 * The inner callback, as upstream's provider base class does it: check the response against the flow, exchange
 * the code (client_secret_basic, PKCE), validate the ID token's claims, and read the user from userinfo.
 */
export async function completeProviderCallback(
  endpoint: IdentityProviderEndpoint,
  flow: { clientId: string; redirectUri: string; codeVerifier: string; state: string },
  callbackParams: URLSearchParams,
): Promise<{ identity: ProviderIdentity; tokens: ProviderTokens }> {
  const as = authorizationServer(endpoint);
  const client: oauth.Client = { client_id: flow.clientId, id_token_signed_response_alg: 'ES256' };
  try {
    const params = oauth.validateAuthResponse(as, client, callbackParams, flow.state);
    const tokenResponse = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(endpoint.clientSecret),
      params,
      flow.redirectUri,
      flow.codeVerifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse);
    const subject = oauth.getValidatedIdTokenClaims(tokens)?.sub;
    const info = await oauth.processUserInfoResponse(
      as,
      client,
      subject ?? oauth.skipSubjectCheck,
      await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
    );
    return {
      identity: {
        accountId: info.sub,
        email: info.sub,
        emailVerified: true,
        displayName: typeof info.name === 'string' ? info.name : null,
        profileImageUrl: typeof info.picture === 'string' ? info.picture : null,
      },
      tokens: tokensOf(tokens),
    };
  } catch (error) {
    providerError(error);
  }
}

function tokensOf(response: oauth.TokenEndpointResponse, refreshToken?: string): ProviderTokens {
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? refreshToken ?? null,
    expiresInSeconds: response.expires_in ?? 3600,
    scopes: (response.scope ?? '').split(' ').filter(Boolean),
  };
}

/** Whether the provider still accepts an access token (it forgets them when the emulator restarts). */
export async function providerAccessTokenWorks(
  endpoint: IdentityProviderEndpoint,
  clientId: string,
  accessToken: string,
): Promise<boolean> {
  const as = authorizationServer(endpoint);
  const response = await oauth.userInfoRequest(as, { client_id: clientId }, accessToken, insecure);
  return response.ok;
}

/** A fresh access token from a refresh token, or null when the provider refuses it (upstream then drops it). */
export async function refreshProviderAccessToken(
  endpoint: IdentityProviderEndpoint,
  clientId: string,
  refreshToken: string,
): Promise<ProviderTokens | null> {
  const as = authorizationServer(endpoint);
  const client: oauth.Client = { client_id: clientId };
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(endpoint.clientSecret),
      refreshToken,
      insecure,
    );
    return tokensOf(await oauth.processRefreshTokenResponse(as, client, response), refreshToken);
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) return null;
    throw error;
  }
}
