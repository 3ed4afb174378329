import {
  column,
  liveExists,
  type MappingColumn,
  required,
  type SyncMapping,
  TENANCY_FILTER,
  TIMESTAMP,
  tombstoneUuid,
} from '../mapping-types.js';

// target column, source expression over `src`, column definition (upstream's email_outboxes, 32 columns)
const COLUMNS: readonly (readonly [MappingColumn, string])[] = [
  [required('id', 'uuid'), 'src."id"'],
  [required('status', 'text'), 'src."status"::text'],
  [required('simple_status', 'text'), 'src."simpleStatus"::text'],
  [required('created_with', 'text'), 'src."createdWith"::text'],
  [column('email_draft_id', 'text'), 'src."emailDraftId"'],
  [column('email_programmatic_call_template_id', 'text'), 'src."emailProgrammaticCallTemplateId"'],
  [column('theme_id', 'text'), 'src."themeId"'],
  [required('is_high_priority', 'boolean', { default: 'false' }), 'src."isHighPriority"'],
  [column('rendered_is_transactional', 'boolean'), 'src."renderedIsTransactional"'],
  [column('rendered_subject', 'text'), 'src."renderedSubject"'],
  [column('rendered_notification_category_id', 'text'), 'src."renderedNotificationCategoryId"'],
  [column('started_rendering_at', TIMESTAMP), 'src."startedRenderingAt"'],
  [column('finished_rendering_at', TIMESTAMP), 'src."finishedRenderingAt"'],
  [column('render_error', 'text'), 'src."renderErrorExternalMessage"'],
  [required('scheduled_at', TIMESTAMP), 'src."scheduledAt"'],
  [required('created_at', TIMESTAMP), 'src."createdAt"'],
  [column('started_sending_at', TIMESTAMP), 'src."startedSendingAt"'],
  [column('finished_sending_at', TIMESTAMP), 'src."finishedSendingAt"'],
  [column('server_error', 'text'), 'src."sendServerErrorExternalMessage"'],
  [column('sent_at', TIMESTAMP), 'src."sentAt"'],
  [column('delivered_at', TIMESTAMP), 'src."deliveredAt"'],
  [column('opened_at', TIMESTAMP), 'src."openedAt"'],
  [column('clicked_at', TIMESTAMP), 'src."clickedAt"'],
  [column('unsubscribed_at', TIMESTAMP), 'src."unsubscribedAt"'],
  [column('marked_as_spam_at', TIMESTAMP), 'src."markedAsSpamAt"'],
  [column('bounced_at', TIMESTAMP), 'src."bouncedAt"'],
  [column('delivery_delayed_at', TIMESTAMP), 'src."deliveryDelayedAt"'],
  [column('can_have_delivery_info', 'boolean'), 'src."canHaveDeliveryInfo"'],
  [column('skipped_reason', 'text'), 'src."skippedReason"::text'],
  [column('skipped_details', 'jsonb'), 'src."skippedDetails"'],
  [required('send_retries', 'integer', { default: '0' }), 'src."sendRetries"'],
  [required('is_paused', 'boolean', { default: 'false' }), 'src."isPaused"'],
];

/**
 * Runs only against databases that have upstream's "EmailOutbox" table (the emulator has none). Upstream never
 * writes EmailOutbox tombstones, so deleted outbox rows stay in the mirror there too.
 */
export const EMAIL_OUTBOXES: SyncMapping = {
  name: 'email_outboxes',
  targetTable: 'email_outboxes',
  description: 'Outgoing emails and their delivery status.',
  requiredSourceTables: ['EmailOutbox'],
  primaryKey: ['id'],
  columns: COLUMNS.map(([definition]) => definition),
  source: {
    table: 'EmailOutbox',
    liveFilter: TENANCY_FILTER,
    liveColumns: Object.fromEntries(COLUMNS.map(([definition, expression]) => [definition.name, expression])),
    tombstoneTableName: 'EmailOutbox',
    tombstoneKey: { id: tombstoneUuid('id') },
    tombstoneSuperseded: liveExists('EmailOutbox', `live."id" = ${tombstoneUuid('id')}`),
  },
};
