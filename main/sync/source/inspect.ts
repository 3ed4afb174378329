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
  /** The global sequence's step (upstream: 11): id distance ÷ step bounds a row count. */
  readonly sequenceIncrement: number;
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
  return {
    sequencedTables: SEQUENCED_TABLES.filter((t) => sequenced.has(t.table)),
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
async function checkSequence(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ increment_by: string; cache_size: string }>(
    `SELECT increment_by, cache_size FROM pg_sequences
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
