import type pg from 'pg';
import { connectShortClient } from '../../postgres/index.js';
import { loadMigrations, type Migration } from './migrations.js';

/** Our bookkeeping table; upstream's runner uses "SchemaMigration", which this schema deliberately does not fake. */
const BOOKKEEPING_TABLE = '_hexclave_migrations';
// Session-level advisory lock key ("hexclave" in ASCII): concurrent emulators on one database migrate in turn.
const ADVISORY_LOCK_KEY = 0x6865_7863_6c61_7665n;

export interface MigrationReport {
  /** Versions applied by this call (empty when the database was already current). */
  readonly applied: readonly number[];
  /** The schema version the database is at now. */
  readonly version: number;
}

export class DatabaseAheadError extends Error {
  override readonly name = 'DatabaseAheadError';
}

export class MigrationChangedError extends Error {
  override readonly name = 'MigrationChangedError';
}

interface AppliedRow {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

function checkApplied(applied: readonly AppliedRow[], known: readonly Migration[]): void {
  const newest = known.at(-1)?.version ?? 0;
  const ahead = applied.filter((row) => row.version > newest);
  if (ahead.length > 0) {
    const top = ahead.at(-1)!;
    throw new DatabaseAheadError(
      `The internal database is at schema version ${top.version} (${top.name}), newer than this Hexclave Companion knows (${newest}). Upgrade Hexclave Companion, or point it at another database.`,
    );
  }
  for (const row of applied) {
    const migration = known[row.version - 1];
    if (migration && migration.checksum !== row.checksum) {
      throw new MigrationChangedError(
        `Migration ${row.version} (${row.name}) was changed after it was applied to this database. Migrations are append-only: restore the file and add a new migration instead.`,
      );
    }
  }
}

async function applyOne(client: pg.Client, migration: Migration): Promise<void> {
  await client.query('BEGIN');
  try {
    // Bookkeeping first: a concurrent migrator that slipped past the lock fails on the primary key, not halfway.
    await client.query(
      `INSERT INTO "${BOOKKEEPING_TABLE}" ("version", "name", "checksum") VALUES ($1, $2, $3)`,
      [migration.version, migration.name, migration.checksum],
    );
    await client.query(migration.sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${reason}`, { cause: error });
  }
}

/**
 * Bring the internal database at `url` to the newest schema: each pending migration in its own transaction,
 * serialised by an advisory lock, refusing a database that is ahead of this code or whose history was edited.
 */
export async function migrateInternalDatabase(url: string): Promise<MigrationReport> {
  const known = loadMigrations();
  const client = await connectShortClient({ connectionString: url });
  try {
    await client.query('SET client_min_messages = warning');
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY.toString()]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS "${BOOKKEEPING_TABLE}" (
        "version" INTEGER PRIMARY KEY,
        "name" TEXT NOT NULL,
        "checksum" TEXT NOT NULL,
        "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<AppliedRow>(
      `SELECT "version", "name", "checksum" FROM "${BOOKKEEPING_TABLE}" ORDER BY "version"`,
    );
    checkApplied(rows, known);
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of known) {
      if (done.has(migration.version)) continue;
      await applyOne(client, migration);
      applied.push(migration.version);
    }
    return { applied, version: known.at(-1)?.version ?? 0 };
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => {});
    await client.end();
  }
}
