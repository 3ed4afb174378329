/**
 * Permissions (upstream's RBAC): definitions live in the project's configuration (`rbac.permissions`, written as
 * environment-level overrides); grants are TeamMemberDirectPermission / ProjectUserDirectPermission rows;
 * listing expands what a permission contains; the tenancy's defaults are granted on sign-up and on joining a team.
 */
export type { DefinitionWrite, PermissionDefinition, PermissionScope } from './definitions.js';
export {
  createPermissionDefinition,
  deletePermissionDefinition,
  isSystemPermission,
  listPermissionDefinitions,
  TEAM_SYSTEM_PERMISSIONS,
  updatePermissionDefinition,
} from './definitions.js';
export type { PermissionFilter, PermissionGrant } from './grants.js';
export {
  grantDefaultPermissions,
  grantProjectPermission,
  grantTeamPermission,
  hasTeamPermission,
  listPermissions,
  revokeProjectPermission,
  revokeTeamPermission,
} from './grants.js';
