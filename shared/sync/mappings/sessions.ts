import {
  column,
  liveExists,
  required,
  type SyncMapping,
  TENANCY_FILTER,
  TIMESTAMP,
  tombstoneUuid,
} from '../mapping-types.js';

export const REFRESH_TOKENS: SyncMapping = {
  name: 'refresh_tokens',
  targetTable: 'refresh_tokens',
  description: 'Sessions (refresh tokens) without the token itself.',
  requiredSourceTables: ['ProjectUserRefreshToken'],
  primaryKey: ['id'],
  columns: [
    required('id', 'uuid'),
    required('user_id', 'uuid'),
    required('created_at', TIMESTAMP),
    required('last_used_at', TIMESTAMP),
    required('is_impersonation', 'boolean', { default: 'false' }),
    column('expires_at', TIMESTAMP),
  ],
  source: {
    table: 'ProjectUserRefreshToken',
    liveFilter: TENANCY_FILTER,
    liveColumns: {
      id: 'src."id"',
      user_id: 'src."projectUserId"',
      created_at: 'src."createdAt"',
      last_used_at: 'src."lastActiveAt"',
      is_impersonation: 'src."isImpersonation"',
      expires_at: 'src."expiresAt"',
    },
    tombstoneTableName: 'ProjectUserRefreshToken',
    tombstoneKey: { id: tombstoneUuid('id') },
    tombstoneSuperseded: liveExists('ProjectUserRefreshToken', `live."id" = ${tombstoneUuid('id')}`),
  },
};

export const CONNECTED_ACCOUNTS: SyncMapping = {
  name: 'connected_accounts',
  targetTable: 'connected_accounts',
  description: 'OAuth accounts connected to a user.',
  requiredSourceTables: ['ProjectUserOAuthAccount'],
  primaryKey: ['id'],
  columns: [
    required('id', 'uuid'),
    required('user_id', 'uuid'),
    required('provider', 'text'),
    required('provider_account_id', 'text'),
    column('email', 'text'),
    required('created_at', TIMESTAMP),
  ],
  source: {
    table: 'ProjectUserOAuthAccount',
    liveFilter: `${TENANCY_FILTER} AND src."projectUserId" IS NOT NULL`,
    liveColumns: {
      id: 'src."id"',
      user_id: 'src."projectUserId"',
      provider: 'src."configOAuthProviderId"',
      provider_account_id: 'src."providerAccountId"',
      email: 'src."email"',
      created_at: 'src."createdAt"',
    },
    tombstoneTableName: 'ProjectUserOAuthAccount',
    tombstoneKey: { id: tombstoneUuid('id') },
    tombstoneSuperseded: liveExists(
      'ProjectUserOAuthAccount',
      `live."id" = ${tombstoneUuid('id')} AND live."projectUserId" IS NOT NULL`,
    ),
  },
};
