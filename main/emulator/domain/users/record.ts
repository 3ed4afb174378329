import type { RenderedConfig } from '../projects/index.js';

export type RestrictedReason = {
  readonly type: 'anonymous' | 'email_not_verified' | 'restricted_by_administrator';
};

/** The part of a tenancy's configuration that decides whether a user is restricted. */
export type OnboardingConfig = Pick<RenderedConfig, 'onboarding'>;

export interface OAuthProviderLink {
  readonly id: string;
  readonly account_id: string;
  readonly email: string | null;
}

export interface SelectedTeam {
  readonly id: string;
  readonly display_name: string;
  readonly profile_image_url: string | null;
  readonly created_at_millis: number;
  readonly client_metadata: unknown;
  readonly client_read_only_metadata: unknown;
  readonly server_metadata: unknown;
}

/** A ProjectUser with everything the API derives from its related rows (primary email, auth methods, team). */
export interface UserRecord {
  readonly id: string;
  readonly tenancyId: string;
  readonly displayName: string | null;
  readonly profileImageUrl: string | null;
  readonly clientMetadata: unknown;
  readonly clientReadOnlyMetadata: unknown;
  readonly serverMetadata: unknown;
  readonly signedUpAtMillis: number;
  readonly lastActiveAtMillis: number;
  readonly isAnonymous: boolean;
  readonly requiresTotpMfa: boolean;
  readonly restrictedByAdmin: boolean;
  readonly restrictedByAdminReason: string | null;
  readonly restrictedByAdminPrivateDetails: string | null;
  readonly countryCode: string | null;
  readonly riskScoreBot: number;
  readonly riskScoreFreeTrialAbuse: number;
  readonly primaryEmail: string | null;
  readonly primaryEmailVerified: boolean;
  readonly primaryEmailAuthEnabled: boolean;
  readonly hasPassword: boolean;
  readonly otpAuthEnabled: boolean;
  readonly oauthProviders: readonly OAuthProviderLink[];
  readonly selectedTeam: SelectedTeam | null;
}

/**
 * Upstream's computeRestrictedStatus: anonymous first, then an unverified primary e-mail where the project
 * requires verification (the user can fix that), then an administrator's restriction.
 */
export function restrictedStatus(
  user: UserRecord,
  config: OnboardingConfig,
): {
  isRestricted: boolean;
  reason: RestrictedReason | null;
} {
  if (user.isAnonymous) return { isRestricted: true, reason: { type: 'anonymous' } };
  if (config.onboarding.requireEmailVerification && !user.primaryEmailVerified)
    return { isRestricted: true, reason: { type: 'email_not_verified' } };
  if (user.restrictedByAdmin) return { isRestricted: true, reason: { type: 'restricted_by_administrator' } };
  return { isRestricted: false, reason: null };
}
