import pg from 'pg';
import { afterAll } from 'vitest';
import {
  type EmulatorProject,
  ensureProject,
  migrateInternalDatabase,
} from '../../../main/emulator/index.js';
import {
  type SyncEngine,
  type SyncEngineOptions,
  type SyncTargetOptions,
  startSyncEngine,
  verifyMirror,
} from '../../../main/sync/index.js';
import { DEFER_STAMPS_SETTING } from '../../../shared/internal-db.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

type Dropped = TestDatabase & { drop(): Promise<void> };

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  cleanups.length = 0;
});

export function onCleanup(cleanup: () => Promise<unknown>): void {
  cleanups.push(cleanup);
}

export interface InternalDb {
  readonly db: Dropped;
  readonly url: string;
  readonly project: EmulatorProject;
  readonly sql: pg.Client;
}

/**
 * A migrated emulator internal database with its default project, dropped after the file. `deferStamps`: every
 * session writes as upstream's backend does (rows flagged for the sequencer, not stamped on write).
 */
export async function internalDatabase(
  label: string,
  options: { deferStamps?: boolean } = {},
): Promise<InternalDb> {
  const db = await createTestDatabase(label);
  await migrateInternalDatabase(db.url);
  if (options.deferStamps) await deferStamps(db.url);
  const project = await ensureProject(db.url);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  onCleanup(() => db.drop());
  onCleanup(() => sql.end());
  return { db, url: db.url, project, sql };
}

export async function mirrorDatabase(label: string): Promise<{ url: string; sql: pg.Client; db: Dropped }> {
  const db = await createTestDatabase(label);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  await sql.query(`SET TimeZone = 'UTC'`);
  onCleanup(() => db.drop());
  onCleanup(() => sql.end());
  return { db, url: db.url, sql };
}

/** Fast tuning so tests observe behaviour in tens of milliseconds. */
export const FAST = {
  pollIntervalMs: 20,
  monitorIntervalMs: 200,
  retryInitialMs: 50,
  retryMaxMs: 400,
  staleClaimMs: 60_000,
} as const;

export async function engineFor(
  source: string,
  targets: readonly (string | SyncTargetOptions)[],
  extra: Partial<SyncEngineOptions> = {},
): Promise<SyncEngine> {
  const engine = await startSyncEngine({
    source: { kind: 'database', url: source },
    targets: targets.map((t) => (typeof t === 'string' ? { url: t } : t)),
    ...extra,
    tuning: { ...FAST, ...extra.tuning },
  });
  onCleanup(() => engine.stop());
  return engine;
}

/** A user and (optionally) its primary email in one statement, as the backend creates them in one transaction. */
export async function insertUser(
  db: InternalDb,
  displayName: string | null,
  email?: string,
  tenancy: { tenancyId: string; projectId: string } = db.project,
): Promise<string> {
  const { rows } = await db.sql.query<{ id: string }>(
    `WITH u AS (
       INSERT INTO "ProjectUser" ("tenancyId", "mirroredProjectId", "mirroredBranchId", "displayName")
       VALUES ($1, $2, 'main', $3) RETURNING "tenancyId", "projectUserId"
     ), c AS (
       INSERT INTO "ContactChannel" ("tenancyId", "projectUserId", "type", "isPrimary", "usedForAuth", "isVerified", "value")
       SELECT "tenancyId", "projectUserId", 'EMAIL', 'TRUE', 'TRUE', false, $4 FROM u WHERE $4::text IS NOT NULL
     )
     SELECT "projectUserId" AS id FROM u`,
    [tenancy.tenancyId, tenancy.projectId, displayName, email ?? null],
  );
  return rows[0]!.id;
}

export async function addEmail(
  db: InternalDb,
  userId: string,
  email: string,
  primary: boolean,
  tenancyId = db.project.tenancyId,
): Promise<string> {
  const { rows } = await db.sql.query<{ id: string }>(
    `INSERT INTO "ContactChannel" ("tenancyId", "projectUserId", "type", "isPrimary", "usedForAuth", "isVerified", "value")
     VALUES ($1, $2, 'EMAIL', $3, $4, false, $5) RETURNING "id"`,
    [tenancyId, userId, primary ? 'TRUE' : null, primary ? 'TRUE' : null, email],
  );
  return rows[0]!.id;
}

/** Rows of a mirror table as plain objects, sorted for stable comparisons. */
export async function mirrorRows<T = Record<string, unknown>>(
  mirror: { sql: pg.Client },
  query: string,
  values: unknown[] = [],
): Promise<T[]> {
  const { rows } = await mirror.sql.query(query, values);
  return rows as T[];
}

/** Assert the mirror equals the source mapping by mapping (see verifyMirror). */
export async function mirrorMatches(
  source: InternalDb,
  targetUrl: string,
  options: { schema?: string; mappings?: string[] } = {},
): Promise<boolean> {
  const results = await verifyMirror({
    sourceUrl: source.url,
    targetUrl,
    tenancyId: source.project.tenancyId,
    ...options,
  });
  return results.every((r) => r.matches);
}

async function deferStamps(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ name: string }>('SELECT current_database() AS name');
    await admin.query(
      `ALTER DATABASE ${admin.escapeIdentifier(rows[0]!.name)} SET ${DEFER_STAMPS_SETTING} = on`,
    );
  } finally {
    await admin.end();
  }
}

/** N users with a primary email each, set-based, as a project that never synced has them (left for the sequencer). */
export async function seedUsers(db: InternalDb, count: number, prefix = 'seed'): Promise<void> {
  await db.sql.query(`SET ${DEFER_STAMPS_SETTING} = on`);
  await db.sql.query(
    `WITH u AS (
       INSERT INTO "ProjectUser" ("tenancyId", "mirroredProjectId", "mirroredBranchId", "displayName", "clientMetadata")
       SELECT $1, $2, 'main', $3 || '-' || g, jsonb_build_object('n', g)
       FROM generate_series(1, $4::int) AS g
       RETURNING "tenancyId", "projectUserId", "displayName"
     )
     INSERT INTO "ContactChannel" ("tenancyId", "projectUserId", "type", "isPrimary", "usedForAuth", "isVerified", "value")
     SELECT "tenancyId", "projectUserId", 'EMAIL', 'TRUE', 'TRUE', false, "displayName" || '@example.com' FROM u`,
    [db.project.tenancyId, db.project.projectId, prefix, count],
  );
  await db.sql.query(`RESET ${DEFER_STAMPS_SETTING}`);
}

/**
 * Record every mirror write that lowers a user's display-name version ("v-<n>"; churn only ever raises it):
 * `regressions` must stay empty, `writes` counts the updates the mirror saw.
 */
export async function watchForRegressions(mirror: { sql: pg.Client }): Promise<void> {
  await mirror.sql.query(`
    CREATE TABLE regressions (id uuid, before text, after text);
    -- Counted with a sequence, not in a row: a row would make every write to users wait for the one before it.
    CREATE SEQUENCE writes_made;
    CREATE VIEW writes AS SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::int AS n FROM writes_made;
    CREATE FUNCTION watch_users() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM nextval('writes_made');
      IF split_part(NEW.display_name, '-', 2)::bigint < split_part(OLD.display_name, '-', 2)::bigint THEN
        INSERT INTO regressions VALUES (NEW.id, OLD.display_name, NEW.display_name);
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER watch_users BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION watch_users();`);
}

export interface Churn {
  done: boolean;
  /** Rounds run, and how many of them started while some user still waited for its first sequence id. */
  rounds: number;
  beforeStamped: number;
}

/**
 * Changes as an app makes them, until `churn.done`: small statements (a few users renamed to a higher "v-<n>"
 * version, some deleted with their channels, some created, emails verified or not).
 */
export async function versionedChurn(db: InternalDb, churn: Churn): Promise<void> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('CREATE SEQUENCE IF NOT EXISTS version_counter START 1');
  try {
    for (; !churn.done; churn.rounds++) {
      const rounds = churn.rounds;
      const unstamped = await client.query(`SELECT 1 FROM "ProjectUser" WHERE "sequenceId" IS NULL LIMIT 1`);
      if (unstamped.rowCount) churn.beforeStamped++;
      await client.query(
        `UPDATE "ProjectUser" SET "displayName" = 'v-' || nextval('version_counter')
         WHERE "projectUserId" IN (SELECT "projectUserId" FROM "ProjectUser" ORDER BY random() LIMIT 8)`,
      );
      if (rounds % 3 === 0) {
        await client.query(
          `DELETE FROM "ProjectUser" WHERE "projectUserId" IN (SELECT "projectUserId" FROM "ProjectUser" ORDER BY random() LIMIT 3)`,
        );
      }
      if (rounds % 4 === 0) {
        await client.query(
          `UPDATE "ContactChannel" SET "isVerified" = NOT "isVerified" WHERE "id" IN
             (SELECT "id" FROM "ContactChannel" ORDER BY random() LIMIT 5)`,
        );
        await insertUser(
          db,
          `v-${rounds}`,
          `new-${rounds}-${Math.random().toString(36).slice(2)}@example.com`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await client.end();
  }
}
