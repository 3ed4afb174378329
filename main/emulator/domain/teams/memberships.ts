import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import { grantDefaultPermissions } from '../permissions/index.js';
import type { Tenancy, TenancyRef } from '../projects/index.js';
import { fireWebhook } from '../webhooks/index.js';
import { createTeam } from './teams.js';

/**
 * Add a member and grant the tenancy's default team permissions for its role (upstream's addUserToTeam +
 * grantDefaultTeamPermissions): `creator` gets rbac.defaultPermissions.teamCreator, `member` teamMember.
 * Returns the permission ids granted.
 */
export async function addTeamMember(
  db: Queryable,
  tenancy: Tenancy,
  teamId: string,
  userId: string,
  role: 'creator' | 'member',
): Promise<string[]> {
  await db.query(`INSERT INTO "TeamMember" ("tenancyId", "projectUserId", "teamId") VALUES ($1, $2, $3)`, [
    tenancy.tenancyId,
    userId,
    teamId,
  ]);
  const granted = await grantDefaultPermissions(db, tenancy, {
    userId,
    teamId,
    role: role === 'creator' ? 'teamCreator' : 'teamMember',
  });
  // Upstream's memberships CRUD fires these; a team's creator is added by the teams CRUD directly, without them.
  if (role === 'member') {
    await fireWebhook(db, tenancy.projectId, 'team_membership.created', { team_id: teamId, user_id: userId });
    for (const id of granted) {
      await fireWebhook(db, tenancy.projectId, 'team_permission.created', {
        id,
        team_id: teamId,
        user_id: userId,
      });
    }
  }
  return granted;
}

/**
 * Remove a member; its permissions in the team go with it (foreign-key cascade), each with its tombstone. Fires
 * `team_membership.deleted`. False when the user was not a member.
 */
export async function removeTeamMember(db: Queryable, tenancy: TenancyRef, teamId: string, userId: string) {
  const { rowCount } = await db.query(
    `DELETE FROM "TeamMember" WHERE "tenancyId" = $1 AND "teamId" = $2 AND "projectUserId" = $3`,
    [tenancy.tenancyId, teamId, userId],
  );
  if (!rowCount) return false;
  await fireWebhook(db, tenancy.projectId, 'team_membership.deleted', { team_id: teamId, user_id: userId });
  return true;
}

/** Make `teamId` the user's selected team (at most one per user, by the unique index). */
export async function selectTeam(db: Queryable, tenancyId: string, userId: string, teamId: string | null) {
  await db.query(
    `UPDATE "TeamMember" SET "isSelected" = NULL, "updatedAt" = now()
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "isSelected" = 'TRUE'`,
    [tenancyId, userId],
  );
  if (teamId === null) return true;
  const { rowCount } = await db.query(
    `UPDATE "TeamMember" SET "isSelected" = 'TRUE', "updatedAt" = now()
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "teamId" = $3`,
    [tenancyId, userId, teamId],
  );
  return (rowCount ?? 0) > 0;
}

export async function isTeamMember(db: Queryable, tenancyId: string, teamId: string, userId: string) {
  const { rowCount } = await db.query(
    `SELECT 1 FROM "TeamMember" WHERE "tenancyId" = $1 AND "teamId" = $2 AND "projectUserId" = $3`,
    [tenancyId, teamId, userId],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Upstream's ensureTeamMembershipExists: the user must exist (USER_NOT_FOUND) and be a member
 * (TEAM_MEMBERSHIP_NOT_FOUND). One query answers both.
 */
export async function requireMembership(db: Queryable, tenancyId: string, teamId: string, userId: string) {
  const { rows } = await db.query<{ member: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "TeamMember" tm
       WHERE tm."tenancyId" = pu."tenancyId" AND tm."projectUserId" = pu."projectUserId" AND tm."teamId" = $3) AS "member"
     FROM "ProjectUser" pu WHERE pu."tenancyId" = $1 AND pu."projectUserId" = $2`,
    [tenancyId, userId, teamId],
  );
  if (!rows[0]) throw knownError('USER_NOT_FOUND');
  if (!rows[0].member) throw knownError('TEAM_MEMBERSHIP_NOT_FOUND', teamId, userId);
}

/** Upstream's personal-team name: the user's name, else e-mail, else a generic one. */
export function personalTeamName(user: { displayName: string | null; primaryEmail: string | null }): string {
  if (user.displayName) return `${user.displayName}'s Team`;
  if (user.primaryEmail) return `${user.primaryEmail}'s Team`;
  return 'Personal Team';
}

/** The team a new user gets when the tenancy creates one on sign-up: the user creates it and has it selected. */
export async function createPersonalTeam(
  db: Queryable,
  tenancy: Tenancy,
  user: { id: string; displayName: string | null; primaryEmail: string | null },
): Promise<string> {
  const team = await createTeam(db, tenancy, { displayName: personalTeamName(user) });
  await addTeamMember(db, tenancy, team.id, user.id, 'creator');
  await selectTeam(db, tenancy.tenancyId, user.id, team.id);
  return team.id;
}
