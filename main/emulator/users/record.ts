import type { RestrictedReason } from '../auth/tokens.js';

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
  readonly oauthProviders: readonly OAuthProviderLink[];
  readonly selectedTeam: SelectedTeam | null;
}

/** Upstream's computeRestrictedStatus with the emulator's config (email verification not required). */
export function restrictedStatus(user: UserRecord): {
  isRestricted: boolean;
  reason: RestrictedReason | null;
} {
  if (user.isAnonymous) return { isRestricted: true, reason: { type: 'anonymous' } };
  if (user.restrictedByAdmin) return { isRestricted: true, reason: { type: 'restricted_by_administrator' } };
  return { isRestricted: false, reason: null };
}
