import { secureRandomString } from '../../../../shared/encoding.js';
import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import type { TenancyRef } from '../projects/index.js';

/** Upstream's VerificationCodeType values the emulator issues. */
export type VerificationCodeType =
  | 'ONE_TIME_PASSWORD'
  | 'PASSWORD_RESET'
  | 'CONTACT_CHANNEL_VERIFICATION'
  | 'TEAM_INVITATION'
  | 'MFA_ATTEMPT';

/** Upstream's default code lifetime: seven days. */
const DEFAULT_EXPIRY_MILLIS = 7 * 24 * 60 * 60 * 1000;
/** Wrong guesses a code survives (upstream's MAX_ATTEMPTS_PER_CODE). */
const MAX_ATTEMPTS_PER_CODE = 20;
/** An e-mailed OTP is a code's first characters; the rest is the nonce the client keeps. */
export const OTP_LENGTH = 6;

export interface IssuedCode {
  readonly id: string;
  /** 45 lowercase Crockford base32 characters, as upstream's generateSecureRandomString. */
  readonly code: string;
  /** The callback URL with `?code=…`, or null without one. */
  readonly link: string | null;
}

/**
 * A VerificationCode row (upstream's verification-code handlers' createCode): what a link in an e-mail carries.
 * `data` says what the code is for, `method` how it was sent; `findUsableCode` and `markCodeUsed` accept it.
 */
export async function createVerificationCode(
  db: Queryable,
  tenancy: TenancyRef,
  spec: {
    type: VerificationCodeType;
    data: Record<string, unknown>;
    method: Record<string, unknown>;
    callbackUrl: string | null;
    expiresInMillis?: number;
  },
): Promise<IssuedCode> {
  const code = secureRandomString();
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "VerificationCode" ("projectId", "branchId", "type", "code", "expiresAt", "redirectUrl", "method", "data")
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::float8 / 1000), $6, $7, $8) RETURNING "id"`,
    [
      tenancy.projectId,
      tenancy.branchId,
      spec.type,
      code,
      spec.expiresInMillis ?? DEFAULT_EXPIRY_MILLIS,
      spec.callbackUrl,
      spec.method,
      spec.data,
    ],
  );
  let link: string | null = null;
  if (spec.callbackUrl) {
    const url = new URL(spec.callbackUrl);
    url.searchParams.set('code', code);
    link = url.toString();
  }
  return { id: rows[0]!.id, code, link };
}

/** A code that may be used: what it is for and where it was sent. */
export interface UsableCode {
  readonly id: string;
  readonly method: Record<string, unknown>;
  readonly data: Record<string, unknown>;
}

/**
 * Upstream's verification-code handler up to using the code: the code is matched case-insensitively (the OTP
 * in an e-mail is upper case), every code sharing its nonce (all but the first six characters) counts one more
 * attempt, and then not found → VERIFICATION_CODE_NOT_FOUND, expired, already used, too many attempts. Run it
 * outside the transaction that uses the code, so a failed guess still counts.
 */
export async function findUsableCode(
  db: Queryable,
  tenancy: TenancyRef,
  type: VerificationCodeType,
  rawCode: string,
): Promise<UsableCode> {
  const code = rawCode.toLowerCase();
  const { rows } = await db.query<UsableCode & { expired: boolean; used: boolean; attemptCount: number }>(
    `SELECT "id", "method", "data", "expiresAt" < now() AS "expired", "usedAt" IS NOT NULL AS "used", "attemptCount"
     FROM "VerificationCode" WHERE "projectId" = $1 AND "branchId" = $2 AND "code" = $3 AND "type" = $4`,
    [tenancy.projectId, tenancy.branchId, code, type],
  );
  const nonce = code.slice(OTP_LENGTH);
  await db.query(
    `UPDATE "VerificationCode" SET "attemptCount" = "attemptCount" + 1
     WHERE "projectId" = $1 AND "branchId" = $2 AND right("code", length($3)) = $3`,
    [tenancy.projectId, tenancy.branchId, nonce],
  );
  const found = rows[0];
  if (!found) throw knownError('VERIFICATION_CODE_NOT_FOUND');
  if (found.expired) throw knownError('VERIFICATION_CODE_EXPIRED');
  if (found.used) throw knownError('VERIFICATION_CODE_ALREADY_USED');
  if (found.attemptCount >= MAX_ATTEMPTS_PER_CODE) throw knownError('VERIFICATION_CODE_MAX_ATTEMPTS_REACHED');
  return { id: found.id, method: found.method, data: found.data };
}

/** Use a code found by `findUsableCode`; a concurrent use that got there first is VERIFICATION_CODE_ALREADY_USED. */
export async function markCodeUsed(db: Queryable, tenancy: TenancyRef, codeId: string): Promise<void> {
  const { rowCount } = await db.query(
    `UPDATE "VerificationCode" SET "usedAt" = now(), "updatedAt" = now()
     WHERE "projectId" = $1 AND "branchId" = $2 AND "id" = $3 AND "usedAt" IS NULL`,
    [tenancy.projectId, tenancy.branchId, codeId],
  );
  if (!rowCount) throw knownError('VERIFICATION_CODE_ALREADY_USED');
}
