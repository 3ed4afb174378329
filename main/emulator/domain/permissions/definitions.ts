import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import { type ConfigOverride, patchOverride, type RenderedConfig, type Tenancy } from '../projects/index.js';

export type PermissionScope = 'team' | 'project';

/**
 * The team permissions every project has without defining them (upstream's system permissions). Their
 * descriptions are wire facts: the definitions list shows them, and upstream's tests compare them.
 */
export const TEAM_SYSTEM_PERMISSIONS: Readonly<Record<string, string>> = {
  $update_team: 'Update the team information',
  $delete_team: 'Delete the team',
  $read_members: 'Read and list the other members of the team',
  $remove_members: 'Remove other members from the team',
  $invite_members: 'Invite other users to the team',
  $manage_api_keys: 'Create and manage API keys for the team',
};

export const isSystemPermission = (id: string) => Object.hasOwn(TEAM_SYSTEM_PERMISSIONS, id);

/** A permission definition as the API shows it; `description` is left out when there is none. */
export interface PermissionDefinition {
  readonly id: string;
  readonly description?: string;
  readonly contained_permission_ids: readonly string[];
}

/** Plain code-unit order, as upstream's stringCompare (not locale order). */
export const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const describe = (id: string, given?: string) => given || TEAM_SYSTEM_PERMISSIONS[id];

/** The definitions of one scope, sorted by id; the team scope includes the system permissions. */
export function listPermissionDefinitions(
  config: Pick<RenderedConfig, 'rbac'>,
  scope: PermissionScope,
): PermissionDefinition[] {
  const defined = Object.entries(config.rbac.permissions)
    .filter(([, p]) => p.scope === scope)
    .map(([id, p]) =>
      definitionJson(
        id,
        p.description,
        Object.keys(p.containedPermissionIds).filter((k) => p.containedPermissionIds[k]),
      ),
    );
  const system =
    scope === 'team'
      ? Object.entries(TEAM_SYSTEM_PERMISSIONS).map(([id, description]) =>
          definitionJson(id, description, []),
        )
      : [];
  return [...defined, ...system].sort((a, b) => byCodeUnits(a.id, b.id));
}

function definitionJson(id: string, description: string | undefined, contained: readonly string[]) {
  const text = describe(id, description);
  return {
    id,
    ...(text === undefined ? {} : { description: text }),
    contained_permission_ids: [...contained].sort(byCodeUnits),
  };
}

export interface DefinitionWrite {
  readonly id?: string;
  readonly description?: string;
  readonly contained_permission_ids?: readonly string[];
}

type Permissions = RenderedConfig['rbac']['permissions'];

/** Every permission as an override value (what upstream writes back whole into the environment level). */
function asOverride(permissions: Record<string, Permissions[string]>): ConfigOverride {
  return JSON.parse(JSON.stringify(permissions)) as ConfigOverride;
}

const flags = (ids: readonly string[] | undefined) => Object.fromEntries((ids ?? []).map((id) => [id, true]));

function checkContained(
  permissions: Permissions,
  scope: PermissionScope,
  ids: readonly string[] | undefined,
) {
  const known = (id: string) =>
    permissions[id]?.scope === scope || (scope === 'team' && isSystemPermission(id));
  const missing = ids?.find((id) => !known(id));
  if (missing !== undefined) throw knownError('CONTAINED_PERMISSION_NOT_FOUND', missing);
}

async function writePermissions(db: Queryable, tenancy: Tenancy, permissions: ConfigOverride) {
  await patchOverride(
    db,
    'environment',
    { projectId: tenancy.projectId, branchId: tenancy.branchId },
    { 'rbac.permissions': permissions },
  );
}

/**
 * Define a permission: the whole permission set is written back as an environment-level override, as upstream's
 * createPermissionDefinition does. Ids are unique across both scopes.
 */
export async function createPermissionDefinition(
  db: Queryable,
  tenancy: Tenancy,
  scope: PermissionScope,
  data: DefinitionWrite & { id: string },
): Promise<PermissionDefinition> {
  const permissions = tenancy.config.rbac.permissions;
  if (Object.hasOwn(permissions, data.id)) throw knownError('PERMISSION_ID_ALREADY_EXISTS', data.id);
  checkContained(permissions, scope, data.contained_permission_ids);
  const description = describe(data.id, data.description);
  await writePermissions(
    db,
    tenancy,
    asOverride({
      ...permissions,
      [data.id]: { description, scope, containedPermissionIds: flags(data.contained_permission_ids) },
    }),
  );
  return definitionJson(data.id, description, data.contained_permission_ids ?? []);
}

/**
 * Change a definition; a new id renames it in every permission that contains it and in every grant. A renamed
 * grant is deleted and inserted again (not updated in place), so a mirror keyed by permission id sees the old key
 * go away through its tombstone.
 */
export async function updatePermissionDefinition(
  db: Queryable,
  tenancy: Tenancy,
  scope: PermissionScope,
  oldId: string,
  data: DefinitionWrite,
): Promise<PermissionDefinition> {
  const permissions = tenancy.config.rbac.permissions;
  const newId = data.id ?? oldId;
  if (permissions[oldId]?.scope !== scope) throw knownError('PERMISSION_NOT_FOUND', oldId);
  if (newId !== oldId && Object.hasOwn(permissions, newId))
    throw knownError('PERMISSION_ID_ALREADY_EXISTS', newId);
  checkContained(permissions, scope, data.contained_permission_ids);
  const description = describe(newId, data.description);
  const renamed = Object.fromEntries(
    Object.entries(permissions)
      .filter(([id]) => id !== oldId)
      .map(([id, p]) => [
        id,
        {
          ...p,
          containedPermissionIds: Object.fromEntries(
            Object.keys(p.containedPermissionIds).map((c) => [c === oldId ? newId : c, true]),
          ),
        },
      ]),
  );
  await writePermissions(
    db,
    tenancy,
    asOverride({
      ...renamed,
      [newId]: { description, scope, containedPermissionIds: flags(data.contained_permission_ids) },
    }),
  );
  if (newId !== oldId) await renameGrants(db, tenancy.tenancyId, oldId, newId);
  return definitionJson(newId, description, data.contained_permission_ids ?? []);
}

async function renameGrants(db: Queryable, tenancyId: string, oldId: string, newId: string) {
  await db.query(
    `INSERT INTO "TeamMemberDirectPermission" ("tenancyId", "projectUserId", "teamId", "permissionId", "createdAt")
     SELECT "tenancyId", "projectUserId", "teamId", $3, "createdAt" FROM "TeamMemberDirectPermission"
     WHERE "tenancyId" = $1 AND "permissionId" = $2 ON CONFLICT DO NOTHING`,
    [tenancyId, oldId, newId],
  );
  await db.query(
    `INSERT INTO "ProjectUserDirectPermission" ("tenancyId", "projectUserId", "permissionId", "createdAt")
     SELECT "tenancyId", "projectUserId", $3, "createdAt" FROM "ProjectUserDirectPermission"
     WHERE "tenancyId" = $1 AND "permissionId" = $2 ON CONFLICT DO NOTHING`,
    [tenancyId, oldId, newId],
  );
  await deleteGrants(db, tenancyId, oldId);
}

async function deleteGrants(db: Queryable, tenancyId: string, permissionId: string) {
  for (const table of ['TeamMemberDirectPermission', 'ProjectUserDirectPermission']) {
    await db.query(`DELETE FROM "${table}" WHERE "tenancyId" = $1 AND "permissionId" = $2`, [
      tenancyId,
      permissionId,
    ]);
  }
}

/** Remove a definition, drop it from the permissions that contain it, and revoke it from everyone. */
export async function deletePermissionDefinition(
  db: Queryable,
  tenancy: Tenancy,
  scope: PermissionScope,
  permissionId: string,
): Promise<void> {
  const permissions = tenancy.config.rbac.permissions;
  if (permissions[permissionId]?.scope !== scope) throw knownError('PERMISSION_NOT_FOUND', permissionId);
  const remaining = Object.fromEntries(
    Object.entries(permissions)
      .filter(([id]) => id !== permissionId)
      .map(([id, p]) => [
        id,
        {
          ...p,
          containedPermissionIds: Object.fromEntries(
            Object.entries(p.containedPermissionIds).filter(([c]) => c !== permissionId),
          ),
        },
      ]),
  );
  await writePermissions(db, tenancy, asOverride(remaining));
  await deleteGrants(db, tenancy.tenancyId, permissionId);
}
