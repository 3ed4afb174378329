import type { Queryable } from '../../db/index.js';

/** A member's face in one team: its own name and image there, falling back to the user's. */
export interface MemberProfile {
  readonly teamId: string;
  readonly userId: string;
  readonly displayName: string | null;
  readonly profileImageUrl: string | null;
}

const PROFILE_SELECT = `SELECT tm."teamId", tm."projectUserId" AS "userId",
    COALESCE(tm."displayName", pu."displayName") AS "displayName",
    COALESCE(tm."profileImageUrl", pu."profileImageUrl") AS "profileImageUrl"
  FROM "TeamMember" tm
  JOIN "ProjectUser" pu ON pu."tenancyId" = tm."tenancyId" AND pu."projectUserId" = tm."projectUserId"`;

/** Memberships of a team, of a user, or both; in the order they were made. */
export async function listMemberProfiles(
  db: Queryable,
  tenancyId: string,
  filter: { teamId?: string; userId?: string },
): Promise<MemberProfile[]> {
  const { rows } = await db.query<MemberProfile>(
    `${PROFILE_SELECT}
     WHERE tm."tenancyId" = $1 AND ($2::uuid IS NULL OR tm."teamId" = $2) AND ($3::uuid IS NULL OR tm."projectUserId" = $3)
     ORDER BY tm."createdAt", tm."teamId", tm."projectUserId"`,
    [tenancyId, filter.teamId ?? null, filter.userId ?? null],
  );
  return rows;
}

/**
 * Set the member's own name or image in the team (`undefined` keeps one, `null` falls back to the user's);
 * returns the profile, or null when the user is not a member.
 */
export async function updateMemberProfile(
  db: Queryable,
  tenancyId: string,
  teamId: string,
  userId: string,
  fields: { displayName?: string; profileImageUrl?: string | null },
): Promise<MemberProfile | null> {
  const { rowCount } = await db.query(
    `UPDATE "TeamMember" SET
       "displayName" = CASE WHEN $4 THEN $5 ELSE "displayName" END,
       "profileImageUrl" = CASE WHEN $6 THEN $7 ELSE "profileImageUrl" END,
       "updatedAt" = now()
     WHERE "tenancyId" = $1 AND "teamId" = $2 AND "projectUserId" = $3`,
    [
      tenancyId,
      teamId,
      userId,
      fields.displayName !== undefined,
      fields.displayName ?? null,
      fields.profileImageUrl !== undefined,
      fields.profileImageUrl ?? null,
    ],
  );
  if (!rowCount) return null;
  const [profile] = await listMemberProfiles(db, tenancyId, { teamId, userId });
  return profile ?? null;
}
