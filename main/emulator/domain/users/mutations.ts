import type { Queryable } from '../../db/index.js';
import { isUniqueViolation } from '../../db/index.js';
import { knownError, StatusError } from '../../errors/index.js';
import type { Tenancy, TenancyRef } from '../projects/index.js';
import { personalTeamName, selectTeam } from '../teams/index.js';
import { fireWebhook } from '../webhooks/index.js';
import {
  currentPrimaryEmail,
  demotePrimaryEmail,
  isEmailUsedForAuth,
  makePrimaryEmail,
  setOtpAuth,
  setPassword,
  updatePrimaryEmailFlags,
} from './auth-methods.js';
import { findUser } from './queries.js';
import { serverUserJson } from './serialize.js';

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
  /** Sign-in with an e-mailed code (upstream's OtpAuthMethod). */
  readonly otpAuthEnabled?: boolean;
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

/**
 * Upstream's checkAuthData: a verified or sign-in e-mail needs an e-mail, and a sign-in e-mail that is new for the
 * user must not be another account's sign-in e-mail.
 */
async function checkAuthData(
  db: Queryable,
  tenancyId: string,
  change: { oldEmail: string | null; email: string | null; verified: boolean; authEnabled: boolean },
): Promise<void> {
  if (!change.email && change.authEnabled) {
    throw new StatusError(400, 'primary_email_auth_enabled cannot be true without primary_email');
  }
  if (!change.email && change.verified)
    throw new StatusError(400, 'primary_email_verified cannot be true without primary_email');
  if (!change.email || !change.authEnabled || change.oldEmail === change.email) return;
  if (await isEmailUsedForAuth(db, tenancyId, change.email)) {
    throw knownError('USER_EMAIL_ALREADY_EXISTS', change.email, false);
  }
}

/**
 * The primary e-mail part of an update, with upstream's semantics: a new address becomes the primary channel
 * (an existing channel of the user is promoted, the old primary stays as a plain channel), `null` only demotes
 * the primary channel, and the flags given alone change the primary channel in place.
 */
async function applyPrimaryEmail(db: Queryable, tenancyId: string, userId: string, write: UserAuthFields) {
  const touched =
    write.primaryEmail !== undefined ||
    write.primaryEmailVerified !== undefined ||
    write.primaryEmailAuthEnabled !== undefined;
  if (!touched) return;
  const old = await currentPrimaryEmail(db, tenancyId, userId);
  const removing = write.primaryEmail === null;
  const email = write.primaryEmail !== undefined ? write.primaryEmail : (old?.value ?? null);
  const authEnabled = !removing && (write.primaryEmailAuthEnabled ?? old?.usedForAuth ?? false);
  const verified = !removing && (write.primaryEmailVerified ?? old?.isVerified ?? false);
  await checkAuthData(db, tenancyId, { oldEmail: old?.value ?? null, email, verified, authEnabled });
  if (write.primaryEmail === null) {
    await demotePrimaryEmail(db, tenancyId, userId);
  } else if (write.primaryEmail !== undefined) {
    await makePrimaryEmail(db, tenancyId, userId, write.primaryEmail, {
      usedForAuth: authEnabled,
      verified: write.primaryEmailVerified,
    });
  } else if (old) {
    await updatePrimaryEmailFlags(db, tenancyId, userId, {
      verified: write.primaryEmailVerified,
      usedForAuth: write.primaryEmailAuthEnabled,
    });
  }
}

async function applyAuthFields(
  db: Queryable,
  tenancy: TenancyRef,
  userId: string,
  write: UserAuthFields,
): Promise<void> {
  await applyPrimaryEmail(db, tenancy.tenancyId, userId, write);
  if (write.passwordHash !== undefined) await setPassword(db, tenancy.tenancyId, userId, write.passwordHash);
  if (write.otpAuthEnabled !== undefined)
    await setOtpAuth(db, tenancy.tenancyId, userId, write.otpAuthEnabled);
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

/** Insert a user and its auth rows; a taken sign-in email is USER_EMAIL_ALREADY_EXISTS. Run inside a transaction. */
export async function createUser(db: Queryable, tenancy: TenancyRef, write: UserWrite): Promise<string> {
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

/**
 * An anonymous user becoming a real one: its teams still named like an anonymous user's personal team take the
 * name a sign-up would have given (upstream names it from the update's display name or e-mail). Run before the
 * update, while the user is still anonymous.
 */
async function renamePersonalTeamOnUpgrade(
  db: Queryable,
  tenancyId: string,
  userId: string,
  write: UserWrite,
): Promise<void> {
  const anonymousName = personalTeamName({ displayName: null, primaryEmail: null });
  const name = personalTeamName({
    displayName: write.displayName ?? null,
    primaryEmail: write.primaryEmail ?? null,
  });
  if (name === anonymousName) return;
  await db.query(
    `UPDATE "Team" t SET "displayName" = $4, "updatedAt" = now()
     FROM "TeamMember" tm, "ProjectUser" pu
     WHERE t."tenancyId" = $1 AND t."displayName" = $3
       AND tm."tenancyId" = t."tenancyId" AND tm."teamId" = t."teamId" AND tm."projectUserId" = $2
       AND pu."tenancyId" = $1 AND pu."projectUserId" = $2 AND pu."isAnonymous"`,
    [tenancyId, userId, anonymousName, name],
  );
}

/** Update the given fields; false when the user does not exist. Fires `user.updated`. Run inside a transaction. */
export async function updateUser(
  db: Queryable,
  tenancy: Tenancy,
  userId: string,
  write: UserWrite,
): Promise<boolean> {
  if (write.isAnonymous === false) await renamePersonalTeamOnUpgrade(db, tenancy.tenancyId, userId, write);
  const pairs = userColumns(write);
  const assignments = ['"updatedAt" = now()', ...pairs.map(([column], i) => `"${column}" = $${i + 3}`)];
  const { rowCount } = await db.query(
    `UPDATE "ProjectUser" SET ${assignments.join(', ')} WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
    [tenancy.tenancyId, userId, ...pairs.map(([, v]) => v)],
  );
  if (!rowCount) return false;
  await applyAuthFields(db, tenancy, userId, write);
  await fireWebhook(db, tenancy.projectId, 'user.updated', async () =>
    serverUserJson((await findUser(db, tenancy.tenancyId, userId))!, tenancy.config),
  );
  return true;
}

/**
 * Delete a user; its channels, auth methods, memberships and sessions go with it by FK cascade (and are
 * tombstoned). Fires, as upstream, `team_membership.deleted` for each team it was in, then `user.deleted`. Run
 * inside a transaction.
 */
export async function deleteUser(db: Queryable, tenancy: TenancyRef, userId: string): Promise<boolean> {
  const { rows: teams } = await db.query<{ id: string }>(
    `SELECT tm."teamId" AS "id" FROM "TeamMember" tm JOIN "Team" t USING ("tenancyId", "teamId")
     WHERE tm."tenancyId" = $1 AND tm."projectUserId" = $2 ORDER BY t."createdAt", t."teamId"`,
    [tenancy.tenancyId, userId],
  );
  const { rowCount } = await db.query(
    `DELETE FROM "ProjectUser" WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
    [tenancy.tenancyId, userId],
  );
  if (!rowCount) return false;
  for (const team of teams) {
    await fireWebhook(db, tenancy.projectId, 'team_membership.deleted', {
      team_id: team.id,
      user_id: userId,
    });
  }
  await fireWebhook(db, tenancy.projectId, 'user.deleted', { id: userId, teams });
  return true;
}

/** Map the unique index on sign-in emails to upstream's error. */
export function rethrowEmailTaken(error: unknown, email: string | null | undefined): never {
  if (isUniqueViolation(error, 'ContactChannel_tenancyId_type_value_usedForAuth_key')) {
    throw knownError('USER_EMAIL_ALREADY_EXISTS', email ?? '', false);
  }
  throw error;
}
