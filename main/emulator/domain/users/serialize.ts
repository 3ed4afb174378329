import { type OnboardingConfig, restrictedStatus, type UserRecord } from './record.js';

/** Upstream's usersCrud server read shape (users/crud.tsx userPrismaToCrud). */
export function serverUserJson(user: UserRecord, config: OnboardingConfig) {
  const restricted = restrictedStatus(user, config);
  return {
    id: user.id,
    display_name: user.displayName,
    primary_email: user.primaryEmail,
    primary_email_verified: user.primaryEmailVerified,
    primary_email_auth_enabled: user.primaryEmailAuthEnabled,
    profile_image_url: user.profileImageUrl,
    signed_up_at_millis: user.signedUpAtMillis,
    client_metadata: user.clientMetadata,
    client_read_only_metadata: user.clientReadOnlyMetadata,
    server_metadata: user.serverMetadata,
    has_password: user.hasPassword,
    otp_auth_enabled: user.otpAuthEnabled,
    auth_with_email: user.hasPassword || user.otpAuthEnabled,
    requires_totp_mfa: user.requiresTotpMfa,
    passkey_auth_enabled: false,
    oauth_providers: user.oauthProviders,
    selected_team_id: user.selectedTeam?.id ?? null,
    selected_team: user.selectedTeam,
    last_active_at_millis: user.lastActiveAtMillis,
    is_anonymous: user.isAnonymous,
    is_restricted: restricted.isRestricted,
    restricted_reason: restricted.reason,
    restricted_by_admin: user.restrictedByAdmin,
    restricted_by_admin_reason: user.restrictedByAdminReason,
    restricted_by_admin_private_details: user.restrictedByAdminPrivateDetails,
    country_code: user.countryCode,
    risk_scores: { sign_up: { bot: user.riskScoreBot, free_trial_abuse: user.riskScoreFreeTrialAbuse } },
  };
}

/** What a client may see of its own user (current-user.ts clientReadSchema): no server-only fields. */
export function clientUserJson(user: UserRecord, config: OnboardingConfig) {
  const full = serverUserJson(user, config);
  const team = full.selected_team;
  return {
    id: full.id,
    primary_email: full.primary_email,
    primary_email_verified: full.primary_email_verified,
    display_name: full.display_name,
    client_metadata: full.client_metadata,
    client_read_only_metadata: full.client_read_only_metadata,
    profile_image_url: full.profile_image_url,
    signed_up_at_millis: full.signed_up_at_millis,
    has_password: full.has_password,
    auth_with_email: full.auth_with_email,
    oauth_providers: full.oauth_providers,
    selected_team_id: full.selected_team_id,
    selected_team: team && {
      id: team.id,
      display_name: team.display_name,
      profile_image_url: team.profile_image_url,
      client_metadata: team.client_metadata,
      client_read_only_metadata: team.client_read_only_metadata,
    },
    requires_totp_mfa: full.requires_totp_mfa,
    otp_auth_enabled: full.otp_auth_enabled,
    passkey_auth_enabled: full.passkey_auth_enabled,
    is_anonymous: full.is_anonymous,
    is_restricted: full.is_restricted,
    restricted_reason: full.restricted_reason,
    restricted_by_admin: full.restricted_by_admin,
    restricted_by_admin_reason: full.restricted_by_admin_reason,
  };
}
