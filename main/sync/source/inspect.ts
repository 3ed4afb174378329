import type pg from 'pg';
import { GLOBAL_SEQUENCE } from '../../../shared/internal-db.js';
import {
  DELETED_ROW_TABLE,
  OUTGOING_REQUEST_TABLE,
  SEQUENCED_TABLES,
  type SequencedTable,
  SYNC_MAPPINGS,
  type SyncMapping,
} from '../../../shared/sync/index.js';
import { CHANGE_CAPTURE_TRIGGER_PREFIX } from '../../emulator/index.js';
import { SyncConfigurationError } from '../pg.js';

export interface TenancyInfo {
  readonly id: string;
  readonly projectId: string;
  readonly branchId: string;
}

/** What a source database offers: which sequenced tables exist, hence which mappings can run. */
export interface SourceShape {
  readonly sequencedTables: readonly SequencedTable[];
  readonly mappings: readonly SyncMapping[];
  readonly skipped: readonly { mapping: string; reason: string }[];
  readonly changeCapture: 'triggers' | 'application';
  readonly hasQueue: boolean;
  /** This role may stamp rows (UPDATE on the sequenced tables, USAGE on the sequence): run the sequencer. */
  readonly canStamp: boolean;
  /** This role may use the "OutgoingRequest" queue (claims and deletes). */
  readonly canQueue: boolean;
  /** What the status should tell about reduced capabilities. */
  readonly notes: readonly string[];
  /** The global sequence's step (upstream: 11): id distance ÷ step bounds a row count. */
  readonly sequenceIncrement: number;
  /** The server has TID range scans (PostgreSQL 14+), which the sequencer's sweep of a backlog needs. */
  readonly heapSweeps: boolean;
  readonly tenancies: readonly TenancyInfo[];
}

export async function inspectSource(client: pg.ClientBase): Promise<SourceShape> {
  const tables = await client.query<{ name: string; sequenced: boolean }>(
    `SELECT c.relname AS name,
            EXISTS (SELECT 1 FROM pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attname = 'sequenceId' AND NOT a.attisdropped) AS sequenced
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`,
  );
  const present = new Set(tables.rows.map((r) => r.name));
  const sequenced = new Set(tables.rows.filter((r) => r.sequenced).map((r) => r.name));
  if (!sequenced.has(DELETED_ROW_TABLE) || !present.has('Tenancy')) {
    throw new SyncConfigurationError(
      'The source database has no Stack Auth / Hexclave schema with external-db-sync columns ' +
        '("DeletedRow"."sequenceId", "Tenancy"). Point --source at the internal database of the emulator ' +
        'or of a self-hosted backend (migrated past 20251125030551_external_db_sync), or at its API URL.',
    );
  }
  await checkNotReplica(client);
  const sequenceIncrement = await checkSequence(client);

  const mappings: SyncMapping[] = [];
  const skipped: { mapping: string; reason: string }[] = [];
  for (const mapping of SYNC_MAPPINGS) {
    const missing = mapping.requiredSourceTables.filter((t) => !present.has(t));
    if (!sequenced.has(mapping.source.table) && !missing.includes(mapping.source.table)) {
      missing.push(`${mapping.source.table}."sequenceId"`);
    }
    if (missing.length === 0) mappings.push(mapping);
    else skipped.push({ mapping: mapping.name, reason: `source has no ${missing.join(', ')}` });
  }

  const triggers = await client.query<{ count: string }>(
    `SELECT count(*) AS count FROM pg_trigger t
     JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE NOT t.tgisinternal AND n.nspname = current_schema() AND t.tgname LIKE $1`,
    [`${CHANGE_CAPTURE_TRIGGER_PREFIX}notify%`],
  );
  const tenancies = await client.query<TenancyInfo>(
    `SELECT "id", "projectId", "branchId" FROM "Tenancy" ORDER BY "createdAt", "id"`,
  );
  const sequencedTables = SEQUENCED_TABLES.filter((t) => sequenced.has(t.table));
  const privileges = await client.query<{ stamp: boolean | null; queue: boolean | null }>(
    `SELECT has_sequence_privilege($1, 'USAGE') AND bool_and(has_table_privilege(quote_ident(t), 'UPDATE')) AS stamp,
            (SELECT bool_and(has_table_privilege(to_regclass('"OutgoingRequest"'), p))
             FROM unnest(ARRAY['INSERT', 'UPDATE', 'DELETE']) AS p) AS queue
     FROM unnest($2::text[]) AS t`,
    [GLOBAL_SEQUENCE, sequencedTables.map((t) => t.table)],
  );
  const canStamp = privileges.rows[0]?.stamp === true;
  const canQueue = canStamp && privileges.rows[0]?.queue === true;
  const notes: string[] = [];
  if (!canStamp) {
    notes.push(
      'This role cannot stamp rows (UPDATE on the sequenced tables and USAGE on global_seq_id): the sequencer stage ' +
        "is off and the source's own sequencer must run; stamped rows are found by the sweep every monitor interval.",
    );
  } else if (!canQueue) {
    notes.push('No usable "OutgoingRequest" queue: stamped tenancies go straight to the workers.');
  }
  const version = await client.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
  return {
    heapSweeps: (version.rows[0]?.v ?? 0) >= 140000,
    canStamp,
    canQueue,
    notes,
    sequencedTables,
    mappings,
    skipped,
    changeCapture: Number(triggers.rows[0]?.count ?? 0) > 0 ? 'triggers' : 'application',
    hasQueue: present.has(OUTGOING_REQUEST_TABLE),
    sequenceIncrement,
    tenancies: tenancies.rows,
  };
}

/**
 * The safe watermark reads the sequence's last value; that is only an upper bound of the values handed out when
 * sessions cannot pre-allocate values (CACHE 1, upstream's default) and the sequence counts upwards.
 */
/**
 * A hot standby cannot show which sequence ids the primary's transactions still hold (and its sequence runs
 * ahead by the WAL-logged prefetch), so the safe watermark would be unsound there.
 */
async function checkNotReplica(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ replica: boolean }>('SELECT pg_is_in_recovery() AS replica');
  if (rows[0]?.replica) {
    throw new SyncConfigurationError(
      'The source is a read replica (in recovery). Point --source at the primary: a replica cannot show which ' +
        'sequence ids the primary still holds, so changes could be skipped.',
    );
  }
}

async function checkSequence(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ increment_by: string; cache_size: string; readable: boolean }>(
    `SELECT increment_by, cache_size, has_sequence_privilege(quote_ident(sequencename), 'SELECT') AS readable
     FROM pg_sequences
     WHERE schemaname = current_schema() AND sequencename = $1`,
    [GLOBAL_SEQUENCE],
  );
  const sequence = rows[0];
  if (!sequence) {
    throw new SyncConfigurationError(
      `The source database has no "${GLOBAL_SEQUENCE}" sequence in schema current_schema(); it is not a ` +
        'Stack Auth / Hexclave internal database (or set search_path in the URL, e.g. ?options=-c%20search_path%3Dmyschema).',
    );
  }
  if (!sequence.readable) {
    throw new SyncConfigurationError(
      `This role cannot read "${GLOBAL_SEQUENCE}" (GRANT SELECT ON SEQUENCE ${GLOBAL_SEQUENCE} TO <role>): the safe ` +
        'watermark samples its last value.',
    );
  }
  if (Number(sequence.increment_by) <= 0) {
    throw new SyncConfigurationError(`"${GLOBAL_SEQUENCE}" must count upwards (INCREMENT BY > 0).`);
  }
  if (Number(sequence.cache_size) !== 1) {
    throw new SyncConfigurationError(
      `"${GLOBAL_SEQUENCE}" has CACHE ${sequence.cache_size}: sessions pre-allocate ids, so no reader can tell ` +
        `which ids are still unused and changes could be skipped. Run ALTER SEQUENCE ${GLOBAL_SEQUENCE} CACHE 1 ` +
        "(upstream's default).",
    );
  }
  return Number(sequence.increment_by);
}

/** The tenancies to mirror: the requested ones (each must exist), or all of them. */
export function resolveScopes(
  known: readonly TenancyInfo[],
  requested: readonly string[] | undefined,
): string[] {
  if (!requested) return known.map((t) => t.id);
  const unknown = requested.filter((id) => !known.some((t) => t.id === id.toLowerCase()));
  if (unknown.length > 0) {
    const list = known.map((t) => `${t.id} (project ${t.projectId}, branch ${t.branchId})`).join('; ');
    throw new SyncConfigurationError(
      `No tenancy ${unknown.join(', ')} in the source database. Tenancies: ${list || 'none'}.`,
    );
  }
  return requested.map((id) => id.toLowerCase());
}
