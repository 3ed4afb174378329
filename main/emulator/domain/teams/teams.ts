import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import type { TenancyRef } from '../projects/index.js';
import { fireWebhook } from '../webhooks/index.js';

/** A Team row as the API reads it. */
export interface TeamRecord {
  readonly id: string;
  readonly displayName: string;
  readonly profileImageUrl: string | null;
  readonly createdAtMillis: number;
  readonly clientMetadata: unknown;
  readonly clientReadOnlyMetadata: unknown;
  readonly serverMetadata: unknown;
}

/** The columns of a team a write may set; `undefined` leaves one as it is, `null` clears it. */
export interface TeamFields {
  readonly displayName?: string;
  readonly profileImageUrl?: string | null;
  readonly clientMetadata?: unknown;
  readonly clientReadOnlyMetadata?: unknown;
  readonly serverMetadata?: unknown;
}

// Timestamps are UTC in `timestamp without time zone`, read as epoch millis in SQL (as the users' are).
const TEAM_COLUMNS = `"teamId" AS "id", "displayName", "profileImageUrl",
  floor(extract(epoch from "createdAt") * 1000)::float8 AS "createdAtMillis",
  "clientMetadata", "clientReadOnlyMetadata", "serverMetadata"`;

const jsonValue = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** Upstream's teams CRUD server read. */
export function serverTeamJson(team: TeamRecord) {
  return {
    id: team.id,
    display_name: team.displayName,
    profile_image_url: team.profileImageUrl,
    created_at_millis: team.createdAtMillis,
    client_metadata: team.clientMetadata,
    client_read_only_metadata: team.clientReadOnlyMetadata,
    server_metadata: team.serverMetadata,
  };
}

/** The client read: no creation time, no server metadata. */
export function clientTeamJson(team: TeamRecord) {
  return {
    id: team.id,
    display_name: team.displayName,
    profile_image_url: team.profileImageUrl,
    client_metadata: team.clientMetadata,
    client_read_only_metadata: team.clientReadOnlyMetadata,
  };
}

/** Insert a team row (upstream's `Team` with its mirrored project and branch) and fire `team.created`. */
export async function createTeam(
  db: Queryable,
  tenancy: TenancyRef,
  fields: TeamFields & { displayName: string },
): Promise<TeamRecord> {
  const { rows } = await db.query<TeamRecord>(
    `INSERT INTO "Team" ("tenancyId", "mirroredProjectId", "mirroredBranchId", "displayName", "profileImageUrl",
       "clientMetadata", "clientReadOnlyMetadata", "serverMetadata")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${TEAM_COLUMNS}`,
    [
      tenancy.tenancyId,
      tenancy.projectId,
      tenancy.branchId,
      fields.displayName,
      fields.profileImageUrl ?? null,
      jsonValue(fields.clientMetadata),
      jsonValue(fields.clientReadOnlyMetadata),
      jsonValue(fields.serverMetadata),
    ],
  );
  const team = rows[0]!;
  await fireWebhook(db, tenancy.projectId, 'team.created', serverTeamJson(team));
  return team;
}

export async function findTeam(db: Queryable, tenancyId: string, teamId: string): Promise<TeamRecord | null> {
  const { rows } = await db.query<TeamRecord>(
    `SELECT ${TEAM_COLUMNS} FROM "Team" WHERE "tenancyId" = $1 AND "teamId" = $2`,
    [tenancyId, teamId],
  );
  return rows[0] ?? null;
}

/** The team, or upstream's TEAM_NOT_FOUND. */
export async function requireTeam(db: Queryable, tenancyId: string, teamId: string): Promise<TeamRecord> {
  const team = await findTeam(db, tenancyId, teamId);
  if (!team) throw knownError('TEAM_NOT_FOUND', teamId);
  return team;
}

/** Every team of the tenancy, or the ones a user is a member of; oldest first, unpaginated (as upstream). */
export async function listTeams(db: Queryable, tenancyId: string, memberId?: string): Promise<TeamRecord[]> {
  const { rows } = await db.query<TeamRecord>(
    `SELECT ${TEAM_COLUMNS} FROM "Team" t
     WHERE t."tenancyId" = $1 AND ($2::uuid IS NULL OR EXISTS (
       SELECT 1 FROM "TeamMember" tm
       WHERE tm."tenancyId" = t."tenancyId" AND tm."teamId" = t."teamId" AND tm."projectUserId" = $2))
     ORDER BY t."createdAt", t."teamId"`,
    [tenancyId, memberId ?? null],
  );
  return rows;
}

const COLUMNS: Record<keyof TeamFields, { column: string; json?: boolean }> = {
  displayName: { column: 'displayName' },
  profileImageUrl: { column: 'profileImageUrl' },
  clientMetadata: { column: 'clientMetadata', json: true },
  clientReadOnlyMetadata: { column: 'clientReadOnlyMetadata', json: true },
  serverMetadata: { column: 'serverMetadata', json: true },
};

/**
 * Update the given fields (always touching the row, as upstream's update does) and fire `team.updated`; null when
 * there is no such team.
 */
export async function updateTeam(
  db: Queryable,
  tenancy: TenancyRef,
  teamId: string,
  fields: TeamFields,
): Promise<TeamRecord | null> {
  const values: unknown[] = [tenancy.tenancyId, teamId];
  const sets = ['"updatedAt" = now()'];
  for (const [key, spec] of Object.entries(COLUMNS) as [
    keyof TeamFields,
    (typeof COLUMNS)[keyof TeamFields],
  ][]) {
    const value = fields[key];
    if (value === undefined) continue;
    values.push(spec.json ? jsonValue(value) : value);
    sets.push(`"${spec.column}" = $${values.length}`);
  }
  const { rows } = await db.query<TeamRecord>(
    `UPDATE "Team" SET ${sets.join(', ')} WHERE "tenancyId" = $1 AND "teamId" = $2 RETURNING ${TEAM_COLUMNS}`,
    values,
  );
  const team = rows[0];
  if (!team) return null;
  await fireWebhook(db, tenancy.projectId, 'team.updated', serverTeamJson(team));
  return team;
}

/**
 * Delete a team. Its memberships and their permissions go with it by foreign-key cascade and its pending
 * invitations by trigger; each removed row leaves its DeletedRow tombstone, as upstream records them one by one.
 * Fires `team.deleted` (only that, as upstream: no membership events).
 */
export async function deleteTeam(db: Queryable, tenancy: TenancyRef, teamId: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM "Team" WHERE "tenancyId" = $1 AND "teamId" = $2`, [
    tenancy.tenancyId,
    teamId,
  ]);
  if (!rowCount) return false;
  await fireWebhook(db, tenancy.projectId, 'team.deleted', { id: teamId });
  return true;
}
