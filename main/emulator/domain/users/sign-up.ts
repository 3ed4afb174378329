import type { Queryable } from '../../db/index.js';
import { grantDefaultPermissions } from '../permissions/index.js';
import type { Tenancy } from '../projects/index.js';
import { createPersonalTeam } from '../teams/index.js';
import { createUser, type UserWrite } from './mutations.js';

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
 * later (upstream's server create answers with the user as it was before), the personal team. Run inside a
 * transaction. Sign-in methods add their own rows and e-mails around it.
 */
export async function createUserWithDefaults(
  db: Queryable,
  tenancy: Tenancy,
  write: UserWrite,
  options: { personalTeam?: boolean } = {},
): Promise<string> {
  const userId = await createUser(db, tenancy, write);
  await grantDefaultPermissions(db, tenancy, { userId, role: 'signUp' });
  if (options.personalTeam !== false) {
    await createPersonalTeamIfEnabled(db, tenancy, {
      id: userId,
      displayName: write.displayName ?? null,
      primaryEmail: write.primaryEmail ?? null,
    });
  }
  return userId;
}
