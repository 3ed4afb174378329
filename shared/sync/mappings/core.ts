import {
  column,
  liveExists,
  METADATA_COLUMNS,
  metadataFrom,
  required,
  type SyncMapping,
  TENANCY_FILTER,
  TIMESTAMP,
  tombstoneUuid,
} from '../mapping-types.js';

export const USERS: SyncMapping = {
  name: 'users',
  targetTable: 'users',
  description: 'One row per user, with the primary email denormalised from their contact channels.',
  requiredSourceTables: ['ProjectUser', 'ContactChannel'],
  primaryKey: ['id'],
  columns: [
    required('id', 'uuid', { description: 'User id' }),
    column('display_name', 'text'),
    column('profile_image_url', 'text'),
    column('primary_email', 'text', { description: 'Value of the primary EMAIL contact channel' }),
    required('primary_email_verified', 'boolean', { default: 'false' }),
    required('signed_up_at', TIMESTAMP, { description: 'signedUpAt, else createdAt (UTC)' }),
    ...METADATA_COLUMNS,
    required('is_anonymous', 'boolean', { default: 'false' }),
  ],
  source: {
    table: 'ProjectUser',
    liveFilter: TENANCY_FILTER,
    // Joined after the page is limited, so only the page's rows look their primary email up (upstream computes it
    // for every row above the checkpoint). A lateral lookup by (tenancyId, projectUserId) — a user has at most one
    // primary EMAIL channel, and a handful of channels in all — is one index probe per row whatever the statistics
    // say: as a plain join, a project whose users were just created (statistics of empty tables) was planned as a
    // scan of every EMAIL channel per user, and a 100,000-user first sync ran for minutes. Type and flag are
    // compared as text so that no index can take them: with the statistics of empty tables, `type` = 'EMAIL' let
    // the planner pick the (tenancyId, type, value, usedForAuth) index and walk half the tenancy's EMAIL channels
    // per user (a 6,000-user snapshot took 4.3 s instead of 0.1 s).
    liveJoin: `LEFT JOIN LATERAL (
      SELECT c."value", c."isVerified" FROM "ContactChannel" AS c
      WHERE c."tenancyId" = src."tenancyId" AND c."projectUserId" = src."projectUserId"
        AND c."type"::text = 'EMAIL' AND c."isPrimary"::text = 'TRUE'
      LIMIT 1) AS primary_channel ON true`,
    // ContactChannel's unique (tenancyId, projectUserId, type, isPrimary): at most one primary EMAIL per user.
    snapshotJoin: `LEFT JOIN "ContactChannel" AS primary_channel
      ON primary_channel."tenancyId" = src."tenancyId" AND primary_channel."projectUserId" = src."projectUserId"
        AND primary_channel."type"::text = 'EMAIL' AND primary_channel."isPrimary"::text = 'TRUE'`,
    liveColumns: {
      id: 'src."projectUserId"',
      display_name: 'src."displayName"',
      profile_image_url: 'src."profileImageUrl"',
      primary_email: 'primary_channel."value"',
      primary_email_verified: 'COALESCE(primary_channel."isVerified", false)',
      signed_up_at: 'COALESCE(src."signedUpAt", src."createdAt")',
      ...metadataFrom('src'),
      is_anonymous: 'src."isAnonymous"',
    },
    tombstoneTableName: 'ProjectUser',
    tombstoneKey: { id: tombstoneUuid('projectUserId') },
    tombstoneSuperseded: liveExists(
      'ProjectUser',
      `live."projectUserId" = ${tombstoneUuid('projectUserId')}`,
    ),
  },
};

export const CONTACT_CHANNELS: SyncMapping = {
  name: 'contact_channels',
  targetTable: 'contact_channels',
  description:
    'Every contact channel (email) of every user; is_primary marks the one copied to users.primary_email.',
  requiredSourceTables: ['ContactChannel'],
  primaryKey: ['id'],
  columns: [
    required('id', 'uuid'),
    required('user_id', 'uuid'),
    required('type', 'text', { description: "Upstream's ContactChannelType, e.g. EMAIL" }),
    required('value', 'text'),
    required('is_primary', 'boolean', { default: 'false' }),
    required('is_verified', 'boolean', { default: 'false' }),
    required('used_for_auth', 'boolean', { default: 'false' }),
    required('created_at', TIMESTAMP),
  ],
  source: {
    table: 'ContactChannel',
    liveFilter: TENANCY_FILTER,
    liveColumns: {
      id: 'src."id"',
      user_id: 'src."projectUserId"',
      type: 'src."type"::text',
      value: 'src."value"',
      is_primary: `CASE WHEN src."isPrimary" = 'TRUE' THEN true ELSE false END`,
      is_verified: 'src."isVerified"',
      used_for_auth: `CASE WHEN src."usedForAuth" = 'TRUE' THEN true ELSE false END`,
      created_at: 'src."createdAt"',
    },
    tombstoneTableName: 'ContactChannel',
    tombstoneKey: { id: tombstoneUuid('id') },
    tombstoneSuperseded: liveExists('ContactChannel', `live."id" = ${tombstoneUuid('id')}`),
  },
};

export const TEAMS: SyncMapping = {
  name: 'teams',
  targetTable: 'teams',
  description: 'One row per team.',
  requiredSourceTables: ['Team'],
  primaryKey: ['id'],
  columns: [
    required('id', 'uuid'),
    required('display_name', 'text'),
    column('profile_image_url', 'text'),
    required('created_at', TIMESTAMP),
    ...METADATA_COLUMNS,
  ],
  source: {
    table: 'Team',
    liveFilter: TENANCY_FILTER,
    liveColumns: {
      id: 'src."teamId"',
      display_name: 'src."displayName"',
      profile_image_url: 'src."profileImageUrl"',
      created_at: 'src."createdAt"',
      ...metadataFrom('src'),
    },
    tombstoneTableName: 'Team',
    tombstoneKey: { id: tombstoneUuid('teamId') },
    tombstoneSuperseded: liveExists('Team', `live."teamId" = ${tombstoneUuid('teamId')}`),
  },
};

export const TEAM_MEMBER_PROFILES: SyncMapping = {
  name: 'team_member_profiles',
  targetTable: 'team_member_profiles',
  description: "Team memberships, with the member's per-team display name and image.",
  requiredSourceTables: ['TeamMember'],
  primaryKey: ['team_id', 'user_id'],
  columns: [
    required('team_id', 'uuid'),
    required('user_id', 'uuid'),
    column('display_name', 'text'),
    column('profile_image_url', 'text'),
    required('created_at', TIMESTAMP),
  ],
  source: {
    table: 'TeamMember',
    liveFilter: TENANCY_FILTER,
    liveColumns: {
      team_id: 'src."teamId"',
      user_id: 'src."projectUserId"',
      display_name: 'src."displayName"',
      profile_image_url: 'src."profileImageUrl"',
      created_at: 'src."createdAt"',
    },
    tombstoneTableName: 'TeamMember',
    tombstoneKey: { team_id: tombstoneUuid('teamId'), user_id: tombstoneUuid('projectUserId') },
    tombstoneSuperseded: liveExists(
      'TeamMember',
      `live."teamId" = ${tombstoneUuid('teamId')} AND live."projectUserId" = ${tombstoneUuid('projectUserId')}`,
    ),
  },
};
