import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import { hasTeamPermission } from '../permissions/index.js';
import type { Tenancy } from '../projects/index.js';
import { requireMembership } from './memberships.js';

/**
 * Upstream's ensureUserTeamPermissionExists: the user must be a member, then hold the permission — counting the
 * permissions that contain it when `recursive`. A missing one is TEAM_PERMISSION_REQUIRED where a caller needs it
 * ('required') and TEAM_PERMISSION_NOT_FOUND where a grant is looked up ('not-exist').
 */
export async function requireTeamPermission(
  db: Queryable,
  tenancy: Tenancy,
  check: {
    teamId: string;
    userId: string;
    permissionId: string;
    recursive: boolean;
    errorType: 'required' | 'not-exist';
  },
): Promise<void> {
  await requireMembership(db, tenancy.tenancyId, check.teamId, check.userId);
  if (await hasTeamPermission(db, tenancy, check.teamId, check.userId, check.permissionId, check.recursive))
    return;
  throw knownError(
    check.errorType === 'required' ? 'TEAM_PERMISSION_REQUIRED' : 'TEAM_PERMISSION_NOT_FOUND',
    check.teamId,
    check.userId,
    check.permissionId,
  );
}
