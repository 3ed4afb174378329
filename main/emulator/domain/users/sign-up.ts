import type { Queryable } from '../../db/index.js';
import { grantDefaultPermissions } from '../permissions/index.js';
import type { Tenancy } from '../projects/index.js';
import { createPersonalTeam } from '../teams/index.js';
import { fireWebhook } from '../webhooks/index.js';
import { createUser, type UserWrite, updateUser } from './mutations.js';
import { findUser } from './queries.js';
import { serverUserJson } from './serialize.js';

/** The personal team a tenancy gives new users when it creates one on sign-up; null when it does not. */
export async function createPersonalTeamIfEnabled(
  db: Queryable,
  tenancy: Tenancy,
  user: { id: string; displayName: string | null; primaryEmail: string | null },
): Promise<string | null> {
  if (!tenancy.config.teams.createPersonalTeamOnSignUp) return null;
  return createPersonalTeam(db, tenancy, user);
}

/**
 * A new user as upstream's users CRUD creates one, whichever route asked (server create, password or anonymous
 * sign-up, OAuth): the rows, the tenancy's default project permissions and, unless the caller adds it itself
 * later (upstream's server create answers with the user as it was before), the personal team; fires
 * `user.created`. Run inside a transaction. Sign-in methods add their own rows and e-mails around it.
 */
export async function createUserWithDefaults(
  db: Queryable,
  tenancy: Tenancy,
  write: UserWrite,
  options: { personalTeam?: boolean } = {},
): Promise<string> {
  const userId = await createUser(db, tenancy, write);
  await grantDefaultPermissions(db, tenancy, { userId, role: 'signUp' });
  // Upstream sends the user as created, before its personal team.
  await fireWebhook(db, tenancy.projectId, 'user.created', async () =>
    serverUserJson((await findUser(db, tenancy.tenancyId, userId))!, tenancy.config),
  );
  if (options.personalTeam !== false) {
    await createPersonalTeamIfEnabled(db, tenancy, {
      id: userId,
      displayName: write.displayName ?? null,
      primaryEmail: write.primaryEmail ?? null,
    });
  }
  return userId;
}

/**
 * A sign-up through a sign-in method (password, OTP): an anonymous caller is upgraded in place and keeps its id
 * (upstream's createOrUpgradeAnonymousUser), anyone else gets a new user with the tenancy's defaults. Run inside a
 * transaction; a taken sign-in e-mail surfaces as the database's unique violation (see rethrowEmailTaken).
 */
export async function signUpOrUpgrade(
  db: Queryable,
  tenancy: Tenancy,
  currentUser: { id: string; isAnonymous: boolean } | null,
  write: UserWrite,
): Promise<string> {
  if (!currentUser?.isAnonymous) return createUserWithDefaults(db, tenancy, write);
  await updateUser(db, tenancy, currentUser.id, { ...write, isAnonymous: false });
  await db.query(
    `UPDATE "ProjectUser" SET "signedUpAt" = now() WHERE "tenancyId" = $1 AND "projectUserId" = $2`,
    [tenancy.tenancyId, currentUser.id],
  );
  return currentUser.id;
}
