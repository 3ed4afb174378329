/**
 * The emulator's identity provider: one small OpenID Connect provider that stands in for GitHub, Google, Spotify
 * and every other OAuth provider, so OAuth sign-in works offline. The emulator mounts it at `/mock-oauth` on its
 * own port, or serves it on a port of its own (`--mock-oauth-port`), where upstream's tests expect it.
 */
export type { MockOAuthProvider, MockOAuthProviderOptions } from './provider.js';
export { createMockOAuthProvider } from './provider.js';
