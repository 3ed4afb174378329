/**
 * OAuth: the OAuth client (the project itself), the server-side half of a flow (OuterInfo), the built-in mock
 * identity provider's identities, and what a callback does with one (link, sign in, or sign up).
 */
export { resolveOAuthClient } from './client.js';
export type { MockIdentity } from './mock-identity.js';
export { decodeMockCode, encodeMockCode, mockIdentity } from './mock-identity.js';
export type { OuterInfo, StoredOuterInfo } from './outer-info.js';
export { OUTER_FLOW_MINUTES, readOuterInfo, saveOuterInfo, takeOuterInfo } from './outer-info.js';
export type { OAuthSignInResult } from './sign-in.js';
export { signInWithIdentity } from './sign-in.js';
