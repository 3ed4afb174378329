import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import type { Tenancy, TenancyRef } from '../projects/index.js';
import { fireWebhook } from '../webhooks/index.js';
import {
  byCodeUnits,
  isSystemPermission,
  listPermissionDefinitions,
  type PermissionScope,
} from './definitions.js';

/** A permission a user holds: in a team (team scope) or in the project. */
export interface PermissionGrant {
  readonly id: string;
  readonly user_id: string;
  readonly team_id?: string;
}

export interface PermissionFilter {
  readonly userId?: string;
  /** Team scope only. */
  readonly teamId?: string;
  readonly permissionId?: string;
  /** Also list what the direct grants contain, transitively. */
  readonly recursive: boolean;
}

/**
 * Upstream's listPermissions: the direct grants of each (user, team), expanded through `contained_permission_ids`
 * when recursive. A grant whose definition no longer exists is skipped; the result is sorted by team, user, id,
 * and only then filtered by permission id (so a recursive filter finds contained permissions too).
 */
export async function listPermissions(
  db: Queryable,
  tenancy: Tenancy,
  scope: PermissionScope,
  filter: PermissionFilter,
): Promise<PermissionGrant[]> {
  const definitions = new Map(
    listPermissionDefinitions(tenancy.config, scope).map((d) => [d.id, d.contained_permission_ids]),
  );
  const { rows } =
    scope === 'team'
      ? await db.query<{ userId: string; teamId: string; ids: string[] }>(
          `SELECT "projectUserId" AS "userId", "teamId", array_agg("permissionId") AS "ids"
           FROM "TeamMemberDirectPermission"
           WHERE "tenancyId" = $1 AND ($2::uuid IS NULL OR "projectUserId" = $2) AND ($3::uuid IS NULL OR "teamId" = $3)
           GROUP BY "projectUserId", "teamId"`,
          [tenancy.tenancyId, filter.userId ?? null, filter.teamId ?? null],
        )
      : await db.query<{ userId: string; teamId: undefined; ids: string[] }>(
          `SELECT "projectUserId" AS "userId", array_agg("permissionId") AS "ids"
           FROM "ProjectUserDirectPermission"
           WHERE "tenancyId" = $1 AND ($2::uuid IS NULL OR "projectUserId" = $2)
           GROUP BY "projectUserId"`,
          [tenancy.tenancyId, filter.userId ?? null],
        );
  const grants: PermissionGrant[] = [];
  for (const row of rows) {
    const held = new Set<string>();
    const pending = [...row.ids];
    while (pending.length > 0) {
      const id = pending.pop()!;
      const contained = definitions.get(id);
      if (contained === undefined || held.has(id)) continue;
      held.add(id);
      if (filter.recursive) pending.push(...contained);
    }
    for (const id of held) {
      grants.push(
        scope === 'team' ? { id, team_id: row.teamId, user_id: row.userId } : { id, user_id: row.userId },
      );
    }
  }
  return grants
    .sort(
      (a, b) =>
        byCodeUnits(a.team_id ?? '', b.team_id ?? '') ||
        byCodeUnits(a.user_id, b.user_id) ||
        byCodeUnits(a.id, b.id),
    )
    .filter((grant) => filter.permissionId === undefined || grant.id === filter.permissionId);
}

/** Whether a team member holds a permission (directly, or through one that contains it when recursive). */
export async function hasTeamPermission(
  db: Queryable,
  tenancy: Tenancy,
  teamId: string,
  userId: string,
  permissionId: string,
  recursive: boolean,
): Promise<boolean> {
  const found = await listPermissions(db, tenancy, 'team', { teamId, userId, permissionId, recursive });
  return found.length > 0;
}

/** Only a defined permission of the right scope may be granted (team scope: system permissions too). */
function checkGrantable(tenancy: Tenancy, scope: PermissionScope, permissionId: string): void {
  const definition = tenancy.config.rbac.permissions[permissionId];
  if (definition === undefined) {
    if (scope === 'team' && isSystemPermission(permissionId)) return;
    throw knownError('PERMISSION_NOT_FOUND', permissionId);
  }
  if (definition.scope !== scope) {
    throw knownError('WRONG_PERMISSION_SCOPE', permissionId, scope, definition.scope ?? null);
  }
}

/** Grant a team permission to a member; granting it again only touches the row (upstream's upsert). */
export async function grantTeamPermission(
  db: Queryable,
  tenancy: Tenancy,
  teamId: string,
  userId: string,
  permissionId: string,
): Promise<PermissionGrant> {
  checkGrantable(tenancy, 'team', permissionId);
  await db.query(
    `INSERT INTO "TeamMemberDirectPermission" ("tenancyId", "projectUserId", "teamId", "permissionId")
     VALUES ($1, $2, $3, $4)
     ON CONFLICT ("tenancyId", "projectUserId", "teamId", "permissionId") DO UPDATE SET "updatedAt" = now()`,
    [tenancy.tenancyId, userId, teamId, permissionId],
  );
  const grant = { id: permissionId, team_id: teamId, user_id: userId };
  await fireWebhook(db, tenancy.projectId, 'team_permission.created', grant);
  return grant;
}

export async function grantProjectPermission(
  db: Queryable,
  tenancy: Tenancy,
  userId: string,
  permissionId: string,
): Promise<PermissionGrant> {
  checkGrantable(tenancy, 'project', permissionId);
  await db.query(
    `INSERT INTO "ProjectUserDirectPermission" ("tenancyId", "projectUserId", "permissionId")
     VALUES ($1, $2, $3)
     ON CONFLICT ("tenancyId", "projectUserId", "permissionId") DO UPDATE SET "updatedAt" = now()`,
    [tenancy.tenancyId, userId, permissionId],
  );
  const grant = { id: permissionId, user_id: userId };
  await fireWebhook(db, tenancy.projectId, 'project_permission.created', grant);
  return grant;
}

/** Remove a direct grant and fire `team_permission.deleted`; false when the user did not hold it directly. */
export async function revokeTeamPermission(
  db: Queryable,
  tenancy: TenancyRef,
  teamId: string,
  userId: string,
  permissionId: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `DELETE FROM "TeamMemberDirectPermission"
     WHERE "tenancyId" = $1 AND "teamId" = $2 AND "projectUserId" = $3 AND "permissionId" = $4`,
    [tenancy.tenancyId, teamId, userId, permissionId],
  );
  if (!rowCount) return false;
  await fireWebhook(db, tenancy.projectId, 'team_permission.deleted', {
    id: permissionId,
    team_id: teamId,
    user_id: userId,
  });
  return true;
}

export async function revokeProjectPermission(
  db: Queryable,
  tenancy: TenancyRef,
  userId: string,
  permissionId: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `DELETE FROM "ProjectUserDirectPermission"
     WHERE "tenancyId" = $1 AND "projectUserId" = $2 AND "permissionId" = $3`,
    [tenancy.tenancyId, userId, permissionId],
  );
  if (!rowCount) return false;
  await fireWebhook(db, tenancy.projectId, 'project_permission.deleted', {
    id: permissionId,
    user_id: userId,
  });
  return true;
}

/**
 * The tenancy's default permissions for a role: `signUp` for a new user (project scope), `teamCreator` /
 * `teamMember` for a new membership. Upstream grants each through the checks above; a default that names a
 * permission no longer defined would fail every sign-up there, so it is skipped here.
 */
export async function grantDefaultPermissions(
  db: Queryable,
  tenancy: Tenancy,
  target: { userId: string } & ({ role: 'signUp' } | { role: 'teamCreator' | 'teamMember'; teamId: string }),
): Promise<string[]> {
  const scope: PermissionScope = target.role === 'signUp' ? 'project' : 'team';
  const granted = Object.entries(tenancy.config.rbac.defaultPermissions[target.role])
    .filter(
      ([id, on]) =>
        on &&
        (tenancy.config.rbac.permissions[id]?.scope === scope ||
          (scope === 'team' && isSystemPermission(id))),
    )
    .map(([id]) => id);
  if (granted.length === 0) return granted;
  if (target.role === 'signUp') {
    await db.query(
      `INSERT INTO "ProjectUserDirectPermission" ("tenancyId", "projectUserId", "permissionId")
       SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`,
      [tenancy.tenancyId, target.userId, granted],
    );
  } else {
    await db.query(
      `INSERT INTO "TeamMemberDirectPermission" ("tenancyId", "projectUserId", "teamId", "permissionId")
       SELECT $1, $2, $3, unnest($4::text[]) ON CONFLICT DO NOTHING`,
      [tenancy.tenancyId, target.userId, target.teamId, granted],
    );
  }
  return granted;
}
