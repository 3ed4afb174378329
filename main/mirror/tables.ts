/**
 * The mirror's tables as upstream's default Postgres mappings create them (stack-sync.md §4.5,
 * `DEFAULT_DB_SYNC_MAPPINGS` in packages/stack-shared/src/config/db-sync-mappings.ts).
 *
 * This is the ONE place the MCP server (knowledge base, find_user, resources) learns the mirror's shape.
 * When the sync engine (main/sync) exports its mapping definitions, derive this list from them instead.
 */

export interface MirrorColumn {
  readonly name: string;
  /** Postgres type as `format_type` prints it. */
  readonly type: string;
  readonly nullable: boolean;
  readonly default?: string;
}

export interface MirrorTable {
  /** Upstream mapping id; also the `mapping_name` in `_stack_sync_metadata`. */
  readonly mapping: string;
  readonly table: string;
  /** Internal (Prisma) tables the mapping reads. */
  readonly sourceTables: readonly string[];
  readonly primaryKey: readonly string[];
  readonly columns: readonly MirrorColumn[];
  readonly notes: string;
}

const TS = 'timestamp without time zone';
const JSONB_DEFAULT = "'{}'::jsonb";

const col = (name: string, type: string, nullable = true, dflt?: string): MirrorColumn => ({
  name,
  type,
  nullable,
  ...(dflt === undefined ? {} : { default: dflt }),
});
const required = (name: string, type: string, dflt?: string) => col(name, type, false, dflt);
const metadata = ['client_metadata', 'client_read_only_metadata', 'server_metadata'].map((name) =>
  required(name, 'jsonb', JSONB_DEFAULT),
);

export const MIRROR_TABLES: readonly MirrorTable[] = [
  {
    mapping: 'users',
    table: 'users',
    sourceTables: ['ProjectUser', 'ContactChannel'],
    primaryKey: ['id'],
    columns: [
      required('id', 'uuid'),
      col('display_name', 'text'),
      col('profile_image_url', 'text'),
      col('primary_email', 'text'),
      required('primary_email_verified', 'boolean', 'false'),
      required('signed_up_at', TS),
      ...metadata,
      required('is_anonymous', 'boolean', 'false'),
    ],
    notes:
      'One row per user. primary_email is the primary EMAIL contact channel; signed_up_at is COALESCE(signedUpAt, createdAt). Deleted users are hard-deleted.',
  },
  {
    mapping: 'contact_channels',
    table: 'contact_channels',
    sourceTables: ['ContactChannel'],
    primaryKey: ['id'],
    columns: [
      required('id', 'uuid'),
      required('user_id', 'uuid'),
      required('type', 'text'),
      required('value', 'text'),
      required('is_primary', 'boolean', 'false'),
      required('is_verified', 'boolean', 'false'),
      required('used_for_auth', 'boolean', 'false'),
      required('created_at', TS),
    ],
    notes: "Every email (type 'EMAIL') and other contact channel of a user; join on user_id = users.id.",
  },
  {
    mapping: 'teams',
    table: 'teams',
    sourceTables: ['Team'],
    primaryKey: ['id'],
    columns: [
      required('id', 'uuid'),
      required('display_name', 'text'),
      col('profile_image_url', 'text'),
      required('created_at', TS),
      ...metadata,
    ],
    notes: 'One row per team.',
  },
  {
    mapping: 'team_member_profiles',
    table: 'team_member_profiles',
    sourceTables: ['TeamMember'],
    primaryKey: ['team_id', 'user_id'],
    columns: [
      required('team_id', 'uuid'),
      required('user_id', 'uuid'),
      col('display_name', 'text'),
      col('profile_image_url', 'text'),
      required('created_at', TS),
    ],
    notes: 'Team memberships with the per-team profile; join teams on team_id and users on user_id.',
  },
  {
    mapping: 'team_permissions',
    table: 'team_permissions',
    sourceTables: ['TeamMemberDirectPermission'],
    primaryKey: ['team_id', 'user_id', 'permission_id'],
    columns: [
      required('team_id', 'uuid'),
      required('user_id', 'uuid'),
      required('permission_id', 'text'),
      required('created_at', TS),
    ],
    notes: 'Permissions granted directly to a team member.',
  },
  {
    mapping: 'team_invitations',
    table: 'team_invitations',
    sourceTables: ['VerificationCode', 'Tenancy', 'Team'],
    primaryKey: ['id'],
    columns: [
      required('id', 'uuid'),
      required('team_id', 'uuid'),
      required('team_display_name', 'text'),
      required('recipient_email', 'text'),
      required('expires_at_millis', 'bigint'),
      required('created_at', TS),
    ],
    notes: "Pending team invitations (VerificationCode rows of type 'TEAM_INVITATION').",
  },
  {
    mapping: 'email_outboxes',
    table: 'email_outboxes',
    sourceTables: ['EmailOutbox'],
    primaryKey: ['id'],
    columns: [
      required('id', 'uuid'),
      required('status', 'text'),
      required('simple_status', 'text'),
      required('created_with', 'text'),
      col('email_draft_id', 'text'),
      col('email_programmatic_call_template_id', 'text'),
      col('theme_id', 'text'),
      required('is_high_priority', 'boolean'),
      col('rendered_is_transactional', 'boolean'),
      col('rendered_subject', 'text'),
      col('rendered_notification_category_id', 'text'),
      ...['started_rendering_at', 'finished_rendering_at'].map((n) => col(n, TS)),
      col('render_error', 'text'),
      required('scheduled_at', TS),
      required('created_at', TS),
      ...['started_sending_at', 'finished_sending_at'].map((n) => col(n, TS)),
      col('server_error', 'text'),
      ...[
        'sent_at',
        'delivered_at',
        'opened_at',
        'clicked_at',
        'unsubscribed_at',
        'marked_as_spam_at',
        'bounced_at',
        'delivery_delayed_at',
      ].map((n) => col(n, TS)),
      col('can_have_delivery_info', 'boolean'),
      col('skipped_reason', 'text'),
      col('skipped_details', 'jsonb'),
      required('send_retries', 'integer', '0'),
      required('is_paused', 'boolean', 'false'),
    ],
    notes: 'Outgoing emails and their delivery state; enums are exported as text.',
  },
  {
    mapping: 'project_permissions',
    table: 'project_permissions',
    sourceTables: ['ProjectUserDirectPermission'],
    primaryKey: ['user_id', 'permission_id'],
    columns: [required('user_id', 'uuid'), required('permission_id', 'text'), required('created_at', TS)],
    notes: 'Project-level permissions granted directly to a user.',
  },
  {
    mapping: 'notification_preferences',
    table: 'notification_preferences',
    sourceTables: ['UserNotificationPreference'],
    primaryKey: ['id'],
    columns: [
      required('id', 'uuid'),
      required('user_id', 'uuid'),
      required('notification_category_id', 'text'),
      required('enabled', 'boolean', 'true'),
    ],
    notes: 'Per-user notification category opt-ins and opt-outs.',
  },
  {
    mapping: 'refresh_tokens',
    table: 'refresh_tokens',
    sourceTables: ['ProjectUserRefreshToken'],
    primaryKey: ['id'],
    columns: [
      required('id', 'uuid'),
      required('user_id', 'uuid'),
      required('created_at', TS),
      required('last_used_at', TS),
      required('is_impersonation', 'boolean', 'false'),
      col('expires_at', TS),
    ],
    notes: 'Sessions (refresh-token rows, never the token values); last_used_at is lastActiveAt.',
  },
  {
    mapping: 'connected_accounts',
    table: 'connected_accounts',
    sourceTables: ['ProjectUserOAuthAccount'],
    primaryKey: ['id'],
    columns: [
      required('id', 'uuid'),
      required('user_id', 'uuid'),
      required('provider', 'text'),
      required('provider_account_id', 'text'),
      col('email', 'text'),
      required('created_at', TS),
    ],
    notes: 'OAuth accounts linked to a user; provider is the configured OAuth provider id.',
  },
];

/** Upstream's checkpoint table, created beside every mapping's table. */
export const SYNC_METADATA_TABLE = '_stack_sync_metadata';

export function mirrorTable(mapping: string): MirrorTable {
  const table = MIRROR_TABLES.find((t) => t.mapping === mapping);
  if (!table) throw new Error(`No mirror table for mapping "${mapping}".`);
  return table;
}
