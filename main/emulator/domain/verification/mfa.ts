import { verifyTOTP } from '@oslojs/otp';
import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import type { Tenancy } from '../projects/index.js';
import { createVerificationCode, findUsableCode, markCodeUsed } from './codes.js';

/**
 * The user's TOTP key when multi-factor sign-in is on for them, else null. Read here rather than through
 * `domain/users`, which sits above verification codes (a sign-up may send one).
 */
async function totpSecretOf(db: Queryable, tenancyId: string, userId: string): Promise<Buffer | null> {
  const { rows } = await db.query<{ totpSecret: Buffer | null }>(
    `SELECT "totpSecret" FROM "ProjectUser"
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "requiresTotpMfa"`,
    [tenancyId, userId],
  );
  return rows[0]?.totpSecret ?? null;
}

/** An attempt lives five minutes, as upstream's. */
const ATTEMPT_EXPIRY_MILLIS = 5 * 60 * 1000;
/** RFC 6238 as authenticator apps use it: 30-second steps, six digits. */
const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;

/**
 * A first factor just succeeded for `userId`: when the user has TOTP multi-factor sign-in, the code the client
 * must bring back with a TOTP to `/auth/mfa/sign-in` (upstream's createMfaRequiredError), else null (sign in
 * now). The caller answers MULTI_FACTOR_AUTHENTICATION_REQUIRED with it, after committing what it wrote.
 */
export async function mfaAttemptFor(
  db: Queryable,
  tenancy: Tenancy,
  userId: string,
  isNewUser: boolean,
): Promise<string | null> {
  if (!(await totpSecretOf(db, tenancy.tenancyId, userId))) return null;
  const { code } = await createVerificationCode(db, tenancy, {
    type: 'MFA_ATTEMPT',
    data: { user_id: userId, is_new_user: isNewUser },
    method: {},
    callbackUrl: null,
    expiresInMillis: ATTEMPT_EXPIRY_MILLIS,
  });
  return code;
}

/** The second factor: an attempt code and the user's current TOTP; the attempt is used up on success. */
export async function completeMfaSignIn(
  db: Queryable,
  tenancy: Tenancy,
  attemptCode: string,
  totp: string,
): Promise<{ userId: string; isNewUser: boolean }> {
  const found = await findUsableCode(db, tenancy, 'MFA_ATTEMPT', attemptCode);
  const userId = String(found.data.user_id);
  const secret = await totpSecretOf(db, tenancy.tenancyId, userId);
  // MFA switched off since the attempt began: no TOTP can match, as upstream's assertion would refuse it.
  if (!secret || !verifyTOTP(new Uint8Array(secret), TOTP_PERIOD_SECONDS, TOTP_DIGITS, totp)) {
    throw knownError('INVALID_TOTP_CODE');
  }
  await markCodeUsed(db, tenancy, found.id);
  return { userId, isNewUser: found.data.is_new_user === true };
}
