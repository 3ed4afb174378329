import { secureRandomString } from '../../../../shared/encoding.js';
import type { Queryable } from '../../db/index.js';
import type { TenancyRef } from '../projects/index.js';

/** Upstream's VerificationCodeType values the emulator issues. */
export type VerificationCodeType =
  | 'ONE_TIME_PASSWORD'
  | 'PASSWORD_RESET'
  | 'CONTACT_CHANNEL_VERIFICATION'
  | 'TEAM_INVITATION';

/** Upstream's default code lifetime: seven days. */
const DEFAULT_EXPIRY_MILLIS = 7 * 24 * 60 * 60 * 1000;

export interface IssuedCode {
  readonly id: string;
  /** 45 lowercase Crockford base32 characters, as upstream's generateSecureRandomString. */
  readonly code: string;
  /** The callback URL with `?code=…`, or null without one. */
  readonly link: string | null;
}

/**
 * A VerificationCode row (upstream's verification-code handlers' createCode): what a link in an e-mail carries.
 * `data` says what the code is for, `method` how it was sent. Consuming a code (and upstream's not-found /
 * expired / already-used / attempts errors) belongs with the route that accepts it.
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
