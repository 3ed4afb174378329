import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createMirrorReaderRole } from '../../main/mirror/index.js';
import { adminUrl, createTestDatabase, type TestDatabase } from './postgres.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'mirror');

/** Run SQL against a database on a short-lived connection. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Create upstream's mirror tables (and, unless `seed: false`, a small fixed population) in a database. */
export async function loadMirrorFixture(url: string, options: { seed?: boolean } = {}): Promise<void> {
  await withClient(url, async (client) => {
    await client.query(readFileSync(join(FIXTURES, 'upstream-mirror.sql'), 'utf8'));
    if (options.seed !== false) await client.query(readFileSync(join(FIXTURES, 'seed.sql'), 'utf8'));
  });
}

export interface MirrorDatabase extends TestDatabase {
  /** The same database as its own read-only role (the only kind of role the mirror readers accept). */
  readonly readerUrl: string;
}

/** A login role that can only read `url`'s public schema, named after the database (roles are cluster-wide). */
export async function createReaderRole(db: TestDatabase): Promise<{ url: string; drop(): Promise<void> }> {
  const role = `${db.name}_reader`;
  const reader = await createMirrorReaderRole(db.url, { schema: 'public', role });
  return {
    url: reader.url,
    drop: () =>
      withClient(adminUrl(), (client) =>
        client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`),
      ).then(() => {}),
  };
}

/**
 * A per-file mirror database holding upstream's mirror tables and a small fixed population, with a read-only role:
 * `url` is the owner's (fixtures, fingerprints), `readerUrl` the reader's (what the MCP tools and the console use).
 */
export function setupMirrorDatabase(options: { seed?: boolean } = {}): () => MirrorDatabase {
  let db: (TestDatabase & { drop(): Promise<void> }) | undefined;
  let reader: { url: string; drop(): Promise<void> } | undefined;
  beforeAll(async () => {
    db = await createTestDatabase('mirror');
    await loadMirrorFixture(db.url, options);
    reader = await createReaderRole(db);
  });
  afterAll(async () => {
    await db?.drop();
    await reader?.drop();
  });
  return () => {
    if (!db || !reader)
      throw new Error('setupMirrorDatabase(): the database is created in beforeAll; read it inside a test.');
    return { name: db.name, url: db.url, readerUrl: reader.url };
  };
}

export interface MirrorFingerprint {
  /** Every relation in the database's user schemas with its kind, so a CREATE or DROP shows up. */
  readonly relations: string;
  /** Every column of every user table, so an ALTER shows up. */
  readonly columns: string;
  /** Every sequence with its last value, so a nextval shows up. */
  readonly sequences: string;
  /** Per table: row count and an md5 over its rows in a stable order. */
  readonly tables: Readonly<Record<string, { rows: number; checksum: string }>>;
}

/** Everything a write could change, in a form two snapshots can be compared with toEqual. */
export async function mirrorFingerprint(url: string): Promise<MirrorFingerprint> {
  return withClient(url, async (client) => {
    const relations = await client.query<{ list: string }>(`
      SELECT coalesce(string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text, ',' ORDER BY 1), '') AS list
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`);
    const columns = await client.query<{ list: string }>(`
      SELECT coalesce(string_agg(table_schema || '.' || table_name || '.' || column_name || ' ' || data_type
             || ' ' || is_nullable || ' ' || coalesce(column_default, ''), ',' ORDER BY 1), '') AS list
        FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`);
    const sequences = await client.query<{ list: string }>(`
      SELECT coalesce(string_agg(schemaname || '.' || sequencename || '=' || coalesce(last_value::text, 'null'), ',' ORDER BY 1), '') AS list
        FROM pg_sequences`);
    const tableNames = await client.query<{ name: string }>(
      "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    );
    const tables: Record<string, { rows: number; checksum: string }> = {};
    for (const { name } of tableNames.rows) {
      const result = await client.query<{ rows: string; checksum: string | null }>(
        `SELECT count(*) AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS checksum FROM ${name} t`,
      );
      tables[name] = { rows: Number(result.rows[0]!.rows), checksum: result.rows[0]!.checksum ?? '' };
    }
    return {
      relations: relations.rows[0]!.list,
      columns: columns.rows[0]!.list,
      sequences: sequences.rows[0]!.list,
      tables,
    };
  });
}
