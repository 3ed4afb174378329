/**
 * Multi-factor sign-in with a TOTP, as upstream: a user whose `totpSecret` is set gets no tokens from a first
 * factor (password, OAuth); it gets MULTI_FACTOR_AUTHENTICATION_REQUIRED with an attempt code, which
 * `POST /auth/mfa/sign-in` exchanges for a session together with a current TOTP.
 */
import { verifyTOTP } from '@oslojs/otp';
import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import type { TenancyRef } from '../projects/index.js';
import { createVerificationCode, findUsableCode, markCodeUsed } from '../verification/index.js';

/** Upstream's attempt lifetime: five minutes. */
const ATTEMPT_MILLIS = 5 * 60 * 1000;
/** RFC 6238 defaults, as upstream and authenticator apps use them. */
const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;

interface AttemptData {
  readonly user_id: string;
  readonly is_new_user: boolean;
}

/**
 * After a first factor succeeded for `userId`: when the user requires a TOTP, record an attempt and return the
 * known error to throw (after the caller's transaction commits, so the attempt is kept); else null.
 */
export async function mfaRequiredError(
  db: Queryable,
  tenancy: TenancyRef,
  userId: string,
  isNewUser: boolean,
): Promise<Error | null> {
  const { rows } = await db.query<{ requiresTotpMfa: boolean }>(
    `SELECT "requiresTotpMfa" FROM "ProjectUser" WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
    [tenancy.tenancyId, userId],
  );
  if (!rows[0]?.requiresTotpMfa) return null;
  const data: AttemptData = { user_id: userId, is_new_user: isNewUser };
  const attempt = await createVerificationCode(db, tenancy, {
    type: 'MFA_ATTEMPT',
    data: { ...data },
    method: {},
    callbackUrl: null,
    expiresInMillis: ATTEMPT_MILLIS,
  });
  return knownError('MULTI_FACTOR_AUTHENTICATION_REQUIRED', attempt.code);
}

/**
 * The second factor: the attempt code must be this project's, unexpired, unused and not guessed at too often
 * (upstream's verification-code checks), and the TOTP must match the user's secret now. A wrong TOTP leaves the
 * attempt usable (the person may retype it). Returns the user to start a session for; the attempt is used up.
 */
export async function completeMfaSignIn(
  db: Queryable,
  tenancy: TenancyRef,
  attemptCode: string,
  totp: string,
): Promise<{ userId: string; isNewUser: boolean }> {
  const attempt = await findUsableCode(db, tenancy, 'MFA_ATTEMPT', attemptCode);
  const data = attempt.data as unknown as AttemptData;
  const user = await db.query<{ totpSecret: Buffer | null }>(
    `SELECT "totpSecret" FROM "ProjectUser" WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
    [tenancy.tenancyId, data.user_id],
  );
  const secret = user.rows[0]?.totpSecret;
  // A user deleted, or whose TOTP was removed, since the first factor: the attempt is no longer valid.
  if (!secret) throw knownError('VERIFICATION_CODE_NOT_FOUND');
  if (!verifyTOTP(new Uint8Array(secret), TOTP_PERIOD_SECONDS, TOTP_DIGITS, totp)) {
    throw knownError('INVALID_TOTP_CODE');
  }
  await markCodeUsed(db, tenancy, attempt.id);
  return { userId: data.user_id, isNewUser: data.is_new_user };
}
