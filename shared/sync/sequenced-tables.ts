/**
 * The internal tables upstream's sequencer stamps (stack-sync.md §2), in upstream's tick order, with the keys the
 * status snapshot reports them under (upstream's `GET …/external-db-sync/status` vocabulary, §5.1).
 */

export interface SequencedTable {
  /** Table name in the internal database (upstream's Prisma model name). */
  readonly table: string;
  /** Key in upstream's status response (`sequencer.<statusKey>`). */
  readonly statusKey: string;
  /** Primary-key columns, used to join the picked rows back in the stamping UPDATE. */
  readonly primaryKey: readonly string[];
  /**
   * SQL for the row's tenancy id over alias `t`. VerificationCode has no tenancyId and is resolved through
   * "Tenancy" on (projectId, branchId), as upstream does.
   */
  readonly tenancyExpression: string;
  /** Extra condition on alias `t` limiting which rows are sequenced (VerificationCode: team invitations only). */
  readonly rowFilter?: string;
}

const byTenancy = (table: string, statusKey: string, primaryKey: readonly string[]): SequencedTable => ({
  table,
  statusKey,
  primaryKey,
  tenancyExpression: 't."tenancyId"',
});

export const TEAM_INVITATION_FILTER = `t."type" = 'TEAM_INVITATION'`;

export const SEQUENCED_TABLES: readonly SequencedTable[] = [
  byTenancy('ProjectUser', 'project_users', ['tenancyId', 'projectUserId']),
  byTenancy('ContactChannel', 'contact_channels', ['tenancyId', 'projectUserId', 'id']),
  byTenancy('Team', 'teams', ['tenancyId', 'teamId']),
  byTenancy('TeamMember', 'team_members', ['tenancyId', 'projectUserId', 'teamId']),
  byTenancy('TeamMemberDirectPermission', 'team_permissions', ['id']),
  {
    table: 'VerificationCode',
    statusKey: 'team_invitations',
    primaryKey: ['projectId', 'branchId', 'id'],
    tenancyExpression: `(SELECT ten."id" FROM "Tenancy" AS ten WHERE ten."projectId" = t."projectId" AND ten."branchId" = t."branchId" AND ten."hasNoOrganization" = 'TRUE')`,
    rowFilter: TEAM_INVITATION_FILTER,
  },
  byTenancy('EmailOutbox', 'email_outboxes', ['tenancyId', 'id']),
  byTenancy('ProjectUserDirectPermission', 'project_permissions', ['id']),
  byTenancy('UserNotificationPreference', 'notification_preferences', ['tenancyId', 'id']),
  byTenancy('ProjectUserRefreshToken', 'refresh_tokens', ['tenancyId', 'id']),
  byTenancy('ProjectUserOAuthAccount', 'connected_accounts', ['tenancyId', 'id']),
  byTenancy('DeletedRow', 'deleted_rows', ['id']),
];

export const DELETED_ROW_TABLE = 'DeletedRow';
export const OUTGOING_REQUEST_TABLE = 'OutgoingRequest';
