/**
 * The emulator's project configuration: upstream's defaults for a fresh project where they matter to an SDK,
 * made permissive where a local backend should be (anonymous sign-up, client user deletion, mock OAuth).
 */
export const EMULATOR_PROJECT_CONFIG = {
  signUpEnabled: true,
  credentialEnabled: true,
  magicLinkEnabled: false,
  passkeyEnabled: false,
  clientTeamCreationEnabled: false,
  clientUserDeletionEnabled: true,
  allowUserApiKeys: false,
  allowTeamApiKeys: false,
  /** Upstream's default: a client must present the project's publishable key (or the project must opt out). */
  requirePublishableClientKey: true,
  /** Providers served by the built-in mock identity provider. */
  oauthProviders: ['github', 'google', 'microsoft', 'spotify'] as readonly string[],
} as const;

/** `GET /projects/current` body (stack-protocol.md §4.8). */
export function clientProjectJson(project: { id: string; displayName: string }) {
  const config = EMULATOR_PROJECT_CONFIG;
  return {
    id: project.id,
    display_name: project.displayName,
    config: {
      sign_up_enabled: config.signUpEnabled,
      credential_enabled: config.credentialEnabled,
      magic_link_enabled: config.magicLinkEnabled,
      passkey_enabled: config.passkeyEnabled,
      client_team_creation_enabled: config.clientTeamCreationEnabled,
      client_user_deletion_enabled: config.clientUserDeletionEnabled,
      allow_user_api_keys: config.allowUserApiKeys,
      allow_team_api_keys: config.allowTeamApiKeys,
      enabled_oauth_providers: config.oauthProviders.map((id) => ({ id })),
      domains: [],
    },
  };
}
