import type { Queryable } from '../../db/index.js';
import type { Tenancy, TenancyRef } from '../projects/index.js';

export interface TeamFields {
  readonly displayName: string;
  readonly profileImageUrl?: string | null;
  readonly clientMetadata?: unknown;
  readonly clientReadOnlyMetadata?: unknown;
  readonly serverMetadata?: unknown;
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** Insert a team row; returns its id. */
export async function createTeam(db: Queryable, tenancy: TenancyRef, fields: TeamFields): Promise<string> {
  const { rows } = await db.query<{ teamId: string }>(
    `INSERT INTO "Team" ("tenancyId", "mirroredProjectId", "mirroredBranchId", "displayName", "profileImageUrl",
       "clientMetadata", "clientReadOnlyMetadata", "serverMetadata")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "teamId"`,
    [
      tenancy.tenancyId,
      tenancy.projectId,
      tenancy.branchId,
      fields.displayName,
      fields.profileImageUrl ?? null,
      json(fields.clientMetadata),
      json(fields.clientReadOnlyMetadata),
      json(fields.serverMetadata),
    ],
  );
  return rows[0]!.teamId;
}

/**
 * Add a member and grant the tenancy's default team permissions for its role (upstream's addUserToTeam +
 * grantDefaultTeamPermissions): `creator` gets rbac.defaultPermissions.teamCreator, `member` teamMember.
 */
export async function addTeamMember(
  db: Queryable,
  tenancy: Tenancy,
  teamId: string,
  userId: string,
  role: 'creator' | 'member',
): Promise<void> {
  await db.query(`INSERT INTO "TeamMember" ("tenancyId", "projectUserId", "teamId") VALUES ($1, $2, $3)`, [
    tenancy.tenancyId,
    userId,
    teamId,
  ]);
  const defaults = tenancy.config.rbac.defaultPermissions[role === 'creator' ? 'teamCreator' : 'teamMember'];
  const permissionIds = Object.keys(defaults);
  if (permissionIds.length === 0) return;
  await db.query(
    `INSERT INTO "TeamMemberDirectPermission" ("tenancyId", "projectUserId", "teamId", "permissionId")
     SELECT $1, $2, $3, unnest($4::text[]) ON CONFLICT DO NOTHING`,
    [tenancy.tenancyId, userId, teamId, permissionIds],
  );
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
  const teamId = await createTeam(db, tenancy, { displayName: personalTeamName(user) });
  await addTeamMember(db, tenancy, teamId, user.id, 'creator');
  await selectTeam(db, tenancy.tenancyId, user.id, teamId);
  return teamId;
}
