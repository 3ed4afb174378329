import type { Queryable } from '../../db/index.js';

/**
 * Projects a dashboard user manages (upstream's listManagedProjectIds): those owned by a team of the internal
 * project that the user belongs to.
 */
export async function managedProjectIds(
  db: Queryable,
  internalTenancyId: string,
  userId: string,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT p."id" FROM "Project" p
     WHERE p."ownerTeamId" IN (
       SELECT tm."teamId" FROM "TeamMember" tm WHERE tm."tenancyId" = $1 AND tm."projectUserId" = $2
     )
     ORDER BY p."createdAt", p."id"`,
    [internalTenancyId, userId],
  );
  return rows.map((row) => row.id);
}

export async function isManagedBy(
  db: Queryable,
  projectId: string,
  internalTenancyId: string,
  userId: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM "Project" p
     WHERE p."id" = $1 AND p."ownerTeamId" IN (
       SELECT tm."teamId" FROM "TeamMember" tm WHERE tm."tenancyId" = $2 AND tm."projectUserId" = $3
     )`,
    [projectId, internalTenancyId, userId],
  );
  return (rowCount ?? 0) > 0;
}
