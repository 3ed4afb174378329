/**
 * OAuth: the OAuth client (the project itself), the server-side half of a flow (OuterInfo), the emulator's side
 * of the inner flow with its identity provider (authorize URL, code exchange, userinfo), and what a callback
 * does with the identity it learns (link, sign in, or sign up), and the provider tokens kept for connected
 * accounts.
 */
export { resolveOAuthClient } from './client.js';
export {
  listConnectedAccounts,
  retrieveOrRefreshAccessToken,
  storeProviderTokens,
} from './connected-accounts.js';
export type { OuterInfo, StoredOuterInfo } from './outer-info.js';
export { deleteOuterInfo, OUTER_FLOW_MINUTES, readOuterInfo, saveOuterInfo } from './outer-info.js';
export type { IdentityProviderEndpoint, ProviderIdentity, ProviderTokens } from './provider-client.js';
export {
  completeProviderCallback,
  generateCodeVerifier,
  providerAuthorizationUrl,
} from './provider-client.js';
export type { OAuthFlowUser, OAuthSignInResult } from './sign-in.js';
export { signInWithProviderIdentity } from './sign-in.js';
