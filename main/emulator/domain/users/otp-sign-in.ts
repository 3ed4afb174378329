import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import type { Tenancy } from '../projects/index.js';
import { setOtpAuth } from './auth-methods.js';
import { rethrowEmailTaken } from './mutations.js';
import { findAuthEmailChannel, normalizeEmail } from './queries.js';
import { signUpOrUpgrade } from './sign-up.js';

/**
 * Who an e-mailed code signs in (upstream's ensureUserForEmailAllowsOtp): the owner of the verified sign-in
 * channel with that address, who gains OTP sign-in if it lacked it; an unverified one is refused with
 * USER_EMAIL_ALREADY_EXISTS (it would work once verified); no owner means a sign-up, if the project allows one.
 */
export async function otpUserForEmail(
  db: Queryable,
  tenancy: Tenancy,
  email: string,
): Promise<string | null> {
  const channel = await findAuthEmailChannel(db, tenancy.tenancyId, email);
  if (!channel) {
    if (!tenancy.config.auth.allowSignUp) throw knownError('SIGN_UP_NOT_ENABLED');
    return null;
  }
  if (!channel.isVerified) throw knownError('USER_EMAIL_ALREADY_EXISTS', channel.value, true);
  if (!channel.otpAuthEnabled) await setOtpAuth(db, tenancy.tenancyId, channel.userId, true);
  return channel.userId;
}

/**
 * The user an OTP / magic-link code signs in, made when new: a verified sign-in e-mail with OTP sign-in, or the
 * anonymous caller upgraded to that. Run inside a transaction.
 */
export async function otpSignInUser(
  db: Queryable,
  tenancy: Tenancy,
  email: string,
  currentUser: { id: string; isAnonymous: boolean } | null,
  /** Where the code was asked for; recorded on a new user (an upgraded anonymous one keeps its own without). */
  signUpCountryCode: string | null = null,
): Promise<{ userId: string; isNewUser: boolean }> {
  const existing = await otpUserForEmail(db, tenancy, email);
  if (existing) return { userId: existing, isNewUser: false };
  const primaryEmail = normalizeEmail(email);
  const userId = await signUpOrUpgrade(db, tenancy, currentUser, {
    primaryEmail,
    primaryEmailVerified: true,
    primaryEmailAuthEnabled: true,
    otpAuthEnabled: true,
    ...(signUpCountryCode && { countryCode: signUpCountryCode }),
  }).catch((error: unknown) => rethrowEmailTaken(error, primaryEmail));
  return { userId, isNewUser: true };
}
