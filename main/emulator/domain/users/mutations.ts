import type { Queryable } from '../../db/index.js';
import { isUniqueViolation } from '../../db/index.js';
import { knownError, StatusError } from '../../errors/index.js';
import type { TenancyRef } from '../projects/index.js';
import { selectTeam } from '../teams/index.js';
import { setPassword, setPrimaryEmail } from './auth-methods.js';

export interface UserFields {
  readonly displayName?: string | null;
  readonly profileImageUrl?: string | null;
  readonly clientMetadata?: unknown;
  readonly clientReadOnlyMetadata?: unknown;
  readonly serverMetadata?: unknown;
  readonly isAnonymous?: boolean;
  readonly restrictedByAdmin?: boolean;
  readonly restrictedByAdminReason?: string | null;
  readonly restrictedByAdminPrivateDetails?: string | null;
  readonly countryCode?: string | null;
  readonly riskScores?: { readonly sign_up: { readonly bot: number; readonly free_trial_abuse: number } };
  /** The TOTP second factor's secret; set together with requiresTotpMfa. */
  readonly totpSecret?: Buffer | null;
  readonly requiresTotpMfa?: boolean;
}

export interface UserAuthFields {
  readonly primaryEmail?: string | null;
  readonly primaryEmailVerified?: boolean;
  readonly primaryEmailAuthEnabled?: boolean;
  /** A verified hash (see passwords.ts); null removes password sign-in. */
  readonly passwordHash?: string | null;
  readonly selectedTeamId?: string | null;
  readonly oauthProviders?: readonly {
    readonly id: string;
    readonly accountId: string;
    readonly email: string | null;
  }[];
}

export type UserWrite = UserFields & UserAuthFields;

const COLUMNS: Record<keyof UserFields, { column: string; json?: boolean }> = {
  displayName: { column: 'displayName' },
  profileImageUrl: { column: 'profileImageUrl' },
  clientMetadata: { column: 'clientMetadata', json: true },
  clientReadOnlyMetadata: { column: 'clientReadOnlyMetadata', json: true },
  serverMetadata: { column: 'serverMetadata', json: true },
  isAnonymous: { column: 'isAnonymous' },
  restrictedByAdmin: { column: 'restrictedByAdmin' },
  restrictedByAdminReason: { column: 'restrictedByAdminReason' },
  restrictedByAdminPrivateDetails: { column: 'restrictedByAdminPrivateDetails' },
  countryCode: { column: 'signUpCountryCode' },
  riskScores: { column: 'signUpRiskScoreBot' },
  totpSecret: { column: 'totpSecret' },
  requiresTotpMfa: { column: 'requiresTotpMfa' },
};

/** Column/value pairs for the ProjectUser fields present in `fields` (JSON columns serialized, `null` kept). */
function userColumns(fields: UserFields): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  for (const [key, spec] of Object.entries(COLUMNS) as [
    keyof UserFields,
    (typeof COLUMNS)[keyof UserFields],
  ][]) {
    const value = fields[key];
    if (value === undefined) continue;
    if (key === 'riskScores') {
      const scores = value as NonNullable<UserFields['riskScores']>;
      pairs.push(
        ['signUpRiskScoreBot', scores.sign_up.bot],
        ['signUpRiskScoreFreeTrialAbuse', scores.sign_up.free_trial_abuse],
      );
    } else {
      pairs.push([spec.column, spec.json && value !== null ? JSON.stringify(value) : value]);
    }
  }
  return pairs;
}

async function applyAuthFields(
  db: Queryable,
  tenancy: TenancyRef,
  userId: string,
  write: UserAuthFields,
): Promise<void> {
  if (
    write.primaryEmail !== undefined ||
    write.primaryEmailVerified !== undefined ||
    write.primaryEmailAuthEnabled !== undefined
  ) {
    await setPrimaryEmail(db, tenancy.tenancyId, userId, write);
  }
  if (write.passwordHash !== undefined) await setPassword(db, tenancy.tenancyId, userId, write.passwordHash);
  if (write.selectedTeamId !== undefined) {
    if (!(await selectTeam(db, tenancy.tenancyId, userId, write.selectedTeamId)))
      throw knownError('TEAM_MEMBERSHIP_NOT_FOUND', String(write.selectedTeamId), userId);
  }
  for (const provider of write.oauthProviders ?? []) {
    await db.query(
      `INSERT INTO "ProjectUserOAuthAccount" ("tenancyId", "projectUserId", "configOAuthProviderId", "providerAccountId", "email")
       VALUES ($1, $2, $3, $4, $5)`,
      [tenancy.tenancyId, userId, provider.id, provider.accountId, provider.email],
    );
  }
}

/** Upstream's checkAuthData: a verified or sign-in e-mail needs an e-mail. */
function checkAuthData(email: string | null, verified: boolean, authEnabled: boolean): void {
  if (!email && authEnabled) {
    throw new StatusError(400, 'primary_email_auth_enabled cannot be true without primary_email');
  }
  if (!email && verified)
    throw new StatusError(400, 'primary_email_verified cannot be true without primary_email');
}

/** The user's primary e-mail as it is now, for checks that combine it with an update. */
async function currentPrimaryEmail(db: Queryable, tenancyId: string, userId: string) {
  const { rows } = await db.query<{ value: string; isVerified: boolean; usedForAuth: boolean }>(
    `SELECT "value", "isVerified", "usedForAuth" IS NOT NULL AS "usedForAuth" FROM "ContactChannel"
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "type" = 'EMAIL' AND "isPrimary" = 'TRUE'`,
    [tenancyId, userId],
  );
  return rows[0] ?? null;
}

/** Insert a user and its auth rows; a taken sign-in email is USER_EMAIL_ALREADY_EXISTS. Run inside a transaction. */
export async function createUser(db: Queryable, tenancy: TenancyRef, write: UserWrite): Promise<string> {
  checkAuthData(write.primaryEmail ?? null, !!write.primaryEmailVerified, !!write.primaryEmailAuthEnabled);
  const pairs = userColumns(write);
  const columns = [
    'tenancyId',
    'mirroredProjectId',
    'mirroredBranchId',
    'signedUpAt',
    ...pairs.map(([c]) => c),
  ];
  const values = [tenancy.tenancyId, tenancy.projectId, tenancy.branchId, ...pairs.map(([, v]) => v)];
  const placeholders = ['$1', '$2', '$3', 'now()', ...pairs.map((_, i) => `$${i + 4}`)];
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "ProjectUser" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${placeholders.join(', ')})
     RETURNING "projectUserId" AS "id"`,
    values,
  );
  const userId = rows[0]!.id;
  await applyAuthFields(db, tenancy, userId, write);
  return userId;
}

/** Update the given fields; false when the user does not exist. Run inside a transaction. */
export async function updateUser(
  db: Queryable,
  tenancy: TenancyRef,
  userId: string,
  write: UserWrite,
): Promise<boolean> {
  if (write.primaryEmailVerified !== undefined || write.primaryEmailAuthEnabled !== undefined) {
    const old = await currentPrimaryEmail(db, tenancy.tenancyId, userId);
    const email = write.primaryEmail !== undefined ? write.primaryEmail : (old?.value ?? null);
    const removing = write.primaryEmail === null;
    checkAuthData(
      email,
      !removing && (write.primaryEmailVerified ?? old?.isVerified ?? false),
      !removing && (write.primaryEmailAuthEnabled ?? old?.usedForAuth ?? false),
    );
  }
  const pairs = userColumns(write);
  const assignments = ['"updatedAt" = now()', ...pairs.map(([column], i) => `"${column}" = $${i + 3}`)];
  const { rowCount } = await db.query(
    `UPDATE "ProjectUser" SET ${assignments.join(', ')} WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
    [tenancy.tenancyId, userId, ...pairs.map(([, v]) => v)],
  );
  if (!rowCount) return false;
  await applyAuthFields(db, tenancy, userId, write);
  return true;
}

/** Delete a user; its channels, auth methods and sessions go with it by FK cascade (and are tombstoned). */
export async function deleteUser(db: Queryable, tenancyId: string, userId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `DELETE FROM "ProjectUser" WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
    [tenancyId, userId],
  );
  return (rowCount ?? 0) > 0;
}

/** Map the unique index on sign-in emails to upstream's error. */
export function rethrowEmailTaken(error: unknown, email: string | null | undefined): never {
  if (isUniqueViolation(error, 'ContactChannel_tenancyId_type_value_usedForAuth_key')) {
    throw knownError('USER_EMAIL_ALREADY_EXISTS', email ?? '', false);
  }
  throw error;
}
