import type { Queryable } from '../../db/index.js';
import type { Tenancy } from '../projects/index.js';
import { createPersonalTeam } from '../teams/index.js';
import { createUser, type UserWrite } from './mutations.js';

/**
 * A new user as upstream's users CRUD creates one, whichever route asked (server create, password or anonymous
 * sign-up, OAuth): the rows, the tenancy's default project permissions, and a personal team when the tenancy
 * creates one on sign-up. Run inside a transaction. Sign-in methods add their own rows and e-mails around it.
 */
export async function createUserWithDefaults(
  db: Queryable,
  tenancy: Tenancy,
  write: UserWrite,
): Promise<string> {
  const userId = await createUser(db, tenancy, write);
  const permissionIds = Object.keys(tenancy.config.rbac.defaultPermissions.signUp);
  if (permissionIds.length > 0) {
    await db.query(
      `INSERT INTO "ProjectUserDirectPermission" ("tenancyId", "projectUserId", "permissionId")
       SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`,
      [tenancy.tenancyId, userId, permissionIds],
    );
  }
  if (tenancy.config.teams.createPersonalTeamOnSignUp) {
    await createPersonalTeam(db, tenancy, {
      id: userId,
      displayName: write.displayName ?? null,
      primaryEmail: write.primaryEmail ?? null,
    });
  }
  return userId;
}
