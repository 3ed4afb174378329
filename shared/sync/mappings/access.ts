import {
  liveExists,
  required,
  type SyncMapping,
  TENANCY_FILTER,
  TIMESTAMP,
  tombstoneText,
  tombstoneUuid,
} from '../mapping-types.js';

export const TEAM_PERMISSIONS: SyncMapping = {
  name: 'team_permissions',
  targetTable: 'team_permissions',
  description: 'Permissions granted directly to a user within a team.',
  requiredSourceTables: ['TeamMemberDirectPermission'],
  primaryKey: ['team_id', 'user_id', 'permission_id'],
  columns: [
    required('team_id', 'uuid'),
    required('user_id', 'uuid'),
    required('permission_id', 'text'),
    required('created_at', TIMESTAMP),
  ],
  source: {
    table: 'TeamMemberDirectPermission',
    liveFilter: TENANCY_FILTER,
    liveColumns: {
      team_id: 'src."teamId"',
      user_id: 'src."projectUserId"',
      permission_id: 'src."permissionId"',
      created_at: 'src."createdAt"',
    },
    tombstoneTableName: 'TeamMemberDirectPermission',
    tombstoneKey: {
      team_id: tombstoneUuid('teamId'),
      user_id: tombstoneUuid('projectUserId'),
      permission_id: tombstoneText('permissionId'),
    },
    tombstoneSuperseded: liveExists(
      'TeamMemberDirectPermission',
      `live."teamId" = ${tombstoneUuid('teamId')} AND live."projectUserId" = ${tombstoneUuid('projectUserId')}
       AND live."permissionId" = ${tombstoneText('permissionId')}`,
    ),
  },
};

// VerificationCode has no tenancyId: the tenancy is the one owning (projectId, branchId), as upstream joins it.
const INVITATION_OF_TENANCY = `src."type" = 'TEAM_INVITATION' AND EXISTS (
  SELECT 1 FROM "Tenancy" AS ten
  WHERE ten."id" = {{tenancy}} AND ten."projectId" = src."projectId" AND ten."branchId" = src."branchId")`;

export const TEAM_INVITATIONS: SyncMapping = {
  name: 'team_invitations',
  targetTable: 'team_invitations',
  description: 'Pending team invitations (verification codes of type TEAM_INVITATION).',
  requiredSourceTables: ['VerificationCode', 'Tenancy', 'Team'],
  primaryKey: ['id'],
  columns: [
    required('id', 'uuid'),
    required('team_id', 'uuid'),
    required('team_display_name', 'text'),
    required('recipient_email', 'text'),
    required('expires_at_millis', 'bigint'),
    required('created_at', TIMESTAMP),
  ],
  source: {
    table: 'VerificationCode',
    liveFilter: INVITATION_OF_TENANCY,
    // Upstream LEFT JOINs the team and would fail the whole mapping on a NOT NULL column when the team or the
    // email is missing; an empty string keeps one odd row from wedging every later change.
    liveColumns: {
      id: 'src."id"',
      team_id: `(src."data"->>'team_id')::uuid`,
      team_display_name: `COALESCE((SELECT team."displayName" FROM "Team" AS team
        WHERE team."tenancyId" = {{tenancy}} AND team."teamId" = (src."data"->>'team_id')::uuid), '')`,
      recipient_email: `COALESCE(src."method"->>'email', '')`,
      expires_at_millis: `FLOOR(EXTRACT(EPOCH FROM src."expiresAt") * 1000)::bigint`,
      created_at: 'src."createdAt"',
    },
    tombstoneTableName: 'VerificationCode_TEAM_INVITATION',
    tombstoneKey: { id: tombstoneUuid('id') },
    tombstoneSuperseded: `EXISTS (SELECT 1 FROM "VerificationCode" AS live JOIN "Tenancy" AS ten
      ON ten."projectId" = live."projectId" AND ten."branchId" = live."branchId"
      WHERE ten."id" = {{tenancy}} AND live."type" = 'TEAM_INVITATION' AND live."id" = ${tombstoneUuid('id')})`,
  },
};

export const PROJECT_PERMISSIONS: SyncMapping = {
  name: 'project_permissions',
  targetTable: 'project_permissions',
  description: 'Project-level permissions granted directly to a user.',
  requiredSourceTables: ['ProjectUserDirectPermission'],
  primaryKey: ['user_id', 'permission_id'],
  columns: [
    required('user_id', 'uuid'),
    required('permission_id', 'text'),
    required('created_at', TIMESTAMP),
  ],
  source: {
    table: 'ProjectUserDirectPermission',
    liveFilter: TENANCY_FILTER,
    liveColumns: {
      user_id: 'src."projectUserId"',
      permission_id: 'src."permissionId"',
      created_at: 'src."createdAt"',
    },
    tombstoneTableName: 'ProjectUserDirectPermission',
    tombstoneKey: { user_id: tombstoneUuid('projectUserId'), permission_id: tombstoneText('permissionId') },
    tombstoneSuperseded: liveExists(
      'ProjectUserDirectPermission',
      `live."projectUserId" = ${tombstoneUuid('projectUserId')} AND live."permissionId" = ${tombstoneText('permissionId')}`,
    ),
  },
};

export const NOTIFICATION_PREFERENCES: SyncMapping = {
  name: 'notification_preferences',
  targetTable: 'notification_preferences',
  description: "Users' opt-ins/opt-outs per notification category.",
  requiredSourceTables: ['UserNotificationPreference'],
  primaryKey: ['id'],
  columns: [
    required('id', 'uuid'),
    required('user_id', 'uuid'),
    required('notification_category_id', 'text'),
    required('enabled', 'boolean', { default: 'true' }),
  ],
  source: {
    table: 'UserNotificationPreference',
    liveFilter: TENANCY_FILTER,
    liveColumns: {
      id: 'src."id"',
      user_id: 'src."projectUserId"',
      notification_category_id: 'src."notificationCategoryId"::text',
      enabled: 'src."enabled"',
    },
    tombstoneTableName: 'UserNotificationPreference',
    tombstoneKey: { id: tombstoneUuid('id') },
    tombstoneSuperseded: liveExists('UserNotificationPreference', `live."id" = ${tombstoneUuid('id')}`),
  },
};
