import type pg from 'pg';
import { mirrorTableDdl, SYNC_METADATA_TABLE, type SyncMapping } from '../../../shared/sync/index.js';
import { quoteIdent, SyncConfigurationError } from '../pg.js';

/**
 * Free space left in each page of a mirror table the engine creates. Every change to a user rewrites its mirror
 * row; on full pages (the default, and what a first snapshot's COPY leaves) each new version moves to another page
 * and adds a primary-key entry (97% of a million-user mass update's rows did). With room on the page about half
 * stay there (HOT: no index entry). bench:sync at 300,000 users, alternated: a mass update reached the mirror at
 * 38.8k / 34.4k rows/s against 33.4k / 30.7k on full pages (docs/sync.md). The price is a fifth more pages.
 */
export const MIRROR_FILLFACTOR = 80;

/** Our own bookkeeping, beside (never inside) upstream's tables: progress per (scope, mapping). */
export const PROGRESS_TABLE = '_hexclave_sync_progress';

/**
 * Named rows applied beside a page while it merges (side.ts), per (scope, mapping). The progress row is locked by
 * that page, so these writes leave their mark here instead: a page read ahead by any engine before them is dropped
 * when this row's writing transaction has changed since (even if the page they ran beside was rolled back).
 */
export const SIDE_WRITES_TABLE = '_hexclave_sync_side_writes';

const PROGRESS_DDL = (schema: string) => {
  const table = `${quoteIdent(schema)}.${quoteIdent(PROGRESS_TABLE)}`;
  const side = `${quoteIdent(schema)}.${quoteIdent(SIDE_WRITES_TABLE)}`;
  return `CREATE TABLE IF NOT EXISTS ${table} (
  "scope" text NOT NULL,
  "mapping_name" text NOT NULL,
  "last_synced_sequence_id" bigint NOT NULL DEFAULT -1,
  "rows_applied" bigint NOT NULL DEFAULT 0,
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("scope", "mapping_name")
);
REVOKE ALL ON ${table} FROM PUBLIC;
GRANT SELECT ON ${table} TO PUBLIC;
CREATE TABLE IF NOT EXISTS ${side} (
  "scope" text NOT NULL,
  "mapping_name" text NOT NULL,
  "rows_applied" bigint NOT NULL DEFAULT 0,
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("scope", "mapping_name")
);
REVOKE ALL ON ${side} FROM PUBLIC;
GRANT SELECT ON ${side} TO PUBLIC;`;
};

const METADATA_SHAPE = [
  { name: 'mapping_name', type: 'text', notNull: true },
  { name: 'last_synced_sequence_id', type: 'bigint', notNull: true },
  { name: 'updated_at', type: 'timestamp without time zone', notNull: true },
];

interface ColumnRow {
  table: string;
  column: string;
  type: string;
  not_null: boolean;
  primary: boolean;
}

/**
 * Create the mirror tables exactly as upstream's mappings do, with MIRROR_FILLFACTOR on the ones created here
 * (serialised by an advisory lock, so two engines starting together do not race), after checking that any table
 * already there is one of ours: never write into a developer's own `users` table.
 */
export async function ensureTargetSchema(
  client: pg.ClientBase,
  schema: string,
  mappings: readonly SyncMapping[],
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `hexclave-companion-sync-ddl:${schema}`,
    ]);
    if (schema !== 'public') {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      await client.query(`GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO PUBLIC`);
    }
    const existing = await checkExistingShapes(client, schema, mappings);
    for (const mapping of mappings) {
      await client.query(mirrorTableDdl(mapping, schema));
      // Only on a table created here: a developer's own storage settings on an existing mirror stay theirs.
      if (!existing.has(mapping.targetTable)) {
        const table = `${quoteIdent(schema)}.${quoteIdent(mapping.targetTable)}`;
        await client.query(`ALTER TABLE ${table} SET (fillfactor = ${MIRROR_FILLFACTOR})`);
      }
    }
    await client.query(PROGRESS_DDL(schema));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Refuses a table of ours that has another shape; returns the names of those that already exist. */
async function checkExistingShapes(
  client: pg.ClientBase,
  schema: string,
  mappings: readonly SyncMapping[],
): Promise<ReadonlySet<string>> {
  const tables = [...mappings.map((m) => m.targetTable), SYNC_METADATA_TABLE];
  const { rows } = await client.query<ColumnRow>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null,
            EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY(i.indkey)) AS primary
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = $1 AND c.relname = ANY($2::text[])`,
    [schema, tables],
  );
  const byTable = new Map<string, ColumnRow[]>();
  for (const row of rows) byTable.set(row.table, [...(byTable.get(row.table) ?? []), row]);
  const expected = [
    ...mappings.map((m) => ({ table: m.targetTable, columns: m.columns, primaryKey: m.primaryKey })),
    { table: SYNC_METADATA_TABLE, columns: METADATA_SHAPE, primaryKey: ['mapping_name'] },
  ];
  for (const { table, columns, primaryKey } of expected) {
    const actual = byTable.get(table);
    if (!actual) continue;
    const problem = shapeProblem(actual, columns, primaryKey);
    if (problem) {
      throw new SyncConfigurationError(
        `Target table ${quoteIdent(schema)}.${quoteIdent(table)} already exists and is not a mirror table (${problem}). ` +
          'Pass --target-schema to keep the mirror in a schema of its own, or drop that table.',
      );
    }
  }
  return new Set(byTable.keys());
}

function shapeProblem(
  actual: readonly ColumnRow[],
  expected: readonly { name: string; type: string; notNull: boolean }[],
  primaryKey: readonly string[],
): string | null {
  for (const column of expected) {
    const found = actual.find((a) => a.column === column.name);
    if (!found) return `no column "${column.name}"`;
    if (found.type !== column.type) return `"${column.name}" is ${found.type}, expected ${column.type}`;
    if (found.not_null !== column.notNull) return `"${column.name}" nullability differs`;
  }
  const extra = actual.find((a) => !expected.some((c) => c.name === a.column));
  if (extra) return `unexpected column "${extra.column}"`;
  const keys = actual.filter((a) => a.primary).map((a) => a.column);
  if (keys.length !== primaryKey.length || !primaryKey.every((k) => keys.includes(k))) {
    return `primary key is (${keys.join(', ')}), expected (${primaryKey.join(', ')})`;
  }
  return null;
}
