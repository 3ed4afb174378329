import { z } from 'zod';
import type { RenderedConfig } from '../../domain/projects/index.js';
import { checkImportedHash, hashPassword, type UserWrite } from '../../domain/users/index.js';
import { StatusError } from '../../errors/index.js';

const metadata = z.unknown();

/** An http(s) or data URL, as upstream's profile image field accepts (it stores images; the emulator keeps URLs). */
const imageUrl = z.string().refine(
  (value) => {
    try {
      return ['http:', 'https:', 'data:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { message: 'is not a valid URL' },
);
/** Standard base64 with its padding, as upstream checks a TOTP secret. */
const base64 = z
  .string()
  .refine((value) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value), {
    message: 'is not valid base64',
  });
/** Upstream's loose e-mail check for servers: addresses imported from elsewhere need not be strict. */
const looseEmail = z.string().refine((value) => /^[^\s@]+@[^\s@]+$/.test(value), {
  message: 'must be a valid email',
});

/** What a client may change on its own user (current-user.ts client update schema); anything else is rejected. */
export const clientUserUpdate = z.strictObject({
  // Upstream's userDisplayNameSchema caps it at 256 (and the display-name indexes could not hold ~2.7 kB).
  display_name: z.string().max(256).nullable().optional(),
  profile_image_url: imageUrl.nullable().optional(),
  client_metadata: metadata.optional(),
  selected_team_id: z.uuid().nullable().optional(),
  primary_email: z.email().nullable().optional(),
  totp_secret_base64: base64.nullable().optional(),
  otp_auth_enabled: z.boolean().optional(),
  passkey_auth_enabled: z.boolean().optional(),
});

/** usersCrudServerUpdateSchema. */
export const serverUserUpdate = clientUserUpdate.extend({
  primary_email: looseEmail.nullable().optional(),
  client_read_only_metadata: metadata.optional(),
  server_metadata: metadata.optional(),
  primary_email_verified: z.boolean().optional(),
  primary_email_auth_enabled: z.boolean().optional(),
  password: z.string().nullable().optional(),
  password_hash: z.string().nullable().optional(),
  is_anonymous: z.literal(false).optional(),
  restricted_by_admin: z.boolean().optional(),
  restricted_by_admin_reason: z.string().nullable().optional(),
  restricted_by_admin_private_details: z.string().nullable().optional(),
  country_code: z.string().nullable().optional(),
  risk_scores: z
    .object({
      sign_up: z.object({
        bot: z.number().int().min(0).max(100),
        free_trial_abuse: z.number().int().min(0).max(100),
      }),
    })
    .optional(),
});

/** usersCrudServerCreateSchema: the update fields (minus team selection) plus linked OAuth accounts. */
export const serverUserCreate = serverUserUpdate.omit({ selected_team_id: true, is_anonymous: true }).extend({
  is_anonymous: z.boolean().optional(),
  oauth_providers: z
    .array(z.object({ id: z.string(), account_id: z.string(), email: z.string().nullable() }))
    .optional(),
});

type ServerCreate = z.output<typeof serverUserCreate>;

/** Upstream's getPasswordHashFromData: a server may set any password (no length policy) or import a hash. */
async function passwordHashOf(body: { password?: string | null; password_hash?: string | null }) {
  if (body.password !== undefined) {
    if (body.password_hash !== undefined) {
      throw new StatusError(400, 'Cannot set both password and password_hash at the same time.');
    }
    return body.password === null ? null : hashPassword(body.password);
  }
  if (body.password_hash !== undefined && body.password_hash !== null) {
    checkImportedHash(body.password_hash);
    return body.password_hash;
  }
  return undefined;
}

function rejectUnemulated(body: { passkey_auth_enabled?: boolean }) {
  // Upstream: a passkey auth method exists only once a passkey was registered, which the emulator never does.
  if (body.passkey_auth_enabled) {
    throw new StatusError(
      400,
      'Cannot manually enable passkey auth, it is enabled iff there is a passkey auth method',
    );
  }
}

/** A TOTP secret sets or clears the TOTP second factor with it (upstream's requiresTotpMfa). */
function totpFields(
  secretBase64: string | null | undefined,
): Pick<UserWrite, 'totpSecret' | 'requiresTotpMfa'> {
  if (secretBase64 === undefined) return {};
  if (secretBase64 === null) return { totpSecret: null, requiresTotpMfa: false };
  return { totpSecret: Buffer.from(secretBase64, 'base64'), requiresTotpMfa: true };
}

/** Any accepted body (client update, server update or create) as the storage layer's write. */
export async function toUserWrite(
  body: Partial<ServerCreate> & { selected_team_id?: string | null },
  config: Pick<RenderedConfig, 'auth'>,
): Promise<UserWrite> {
  rejectUnemulated(body);
  if (body.otp_auth_enabled && !config.auth.otp.allowSignIn) {
    throw new StatusError(400, 'OTP auth not enabled in the project');
  }
  const email =
    body.primary_email === undefined ? undefined : (body.primary_email?.trim().toLowerCase() ?? null);
  return {
    // Upstream stores an empty display name as none.
    displayName: body.display_name === undefined ? undefined : body.display_name || null,
    profileImageUrl: body.profile_image_url,
    clientMetadata: body.client_metadata,
    clientReadOnlyMetadata: body.client_read_only_metadata,
    serverMetadata: body.server_metadata,
    isAnonymous: body.is_anonymous,
    restrictedByAdmin: body.restricted_by_admin,
    restrictedByAdminReason: body.restricted_by_admin_reason,
    restrictedByAdminPrivateDetails: body.restricted_by_admin_private_details,
    countryCode: body.country_code,
    riskScores: body.risk_scores,
    primaryEmail: email,
    primaryEmailVerified: body.primary_email_verified,
    primaryEmailAuthEnabled: body.primary_email_auth_enabled,
    passwordHash: await passwordHashOf(body),
    otpAuthEnabled: body.otp_auth_enabled,
    ...totpFields(body.totp_secret_base64),
    selectedTeamId: body.selected_team_id,
    oauthProviders: body.oauth_providers?.map((p) => ({ id: p.id, accountId: p.account_id, email: p.email })),
  };
}
