import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { secureRandomString } from '../../../shared/encoding.js';

/** Anything with pg's `query` (Pool, Client, PoolClient). */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

export interface ProjectKeys {
  readonly publishableClientKey: string;
  readonly secretServerKey: string;
  readonly superSecretAdminKey: string;
}

export interface EmulatorProject {
  readonly projectId: string;
  readonly tenancyId: string;
  readonly branchId: string;
  readonly displayName: string;
  readonly keys: ProjectKeys;
}

export interface EnsureProjectOptions {
  /** A UUID (the SDKs reject anything else). Default: the database's default emulator project, created once. */
  readonly projectId?: string;
  readonly displayName?: string;
  /** Default `main`, upstream's DEFAULT_BRANCH_ID. */
  readonly branchId?: string;
}

const DEFAULT_PROJECT_STATE_KEY = 'default-project-id';
const DEFAULT_DISPLAY_NAME = 'Hexclave Companion emulator';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Upstream's local emulator key sets never expire in practice either (2099-12-31).
const KEY_SET_EXPIRY = '2099-12-31T23:59:59Z';

/** Upstream key format: prefix + 45 lowercase Crockford base32 characters (224 bits). */
export function generateProjectKeys(): ProjectKeys {
  return {
    publishableClientKey: `pck_${secureRandomString()}`,
    secretServerKey: `ssk_${secureRandomString()}`,
    superSecretAdminKey: `sak_${secureRandomString()}`,
  };
}

async function defaultProjectId(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ value: string }>(
    `SELECT "value" #>> '{}' AS "value" FROM "_hexclave_emulator_state" WHERE "key" = $1`,
    [DEFAULT_PROJECT_STATE_KEY],
  );
  if (rows[0]) return rows[0].value;
  const projectId = randomUUID();
  await db.query(`INSERT INTO "_hexclave_emulator_state" ("key", "value") VALUES ($1, to_jsonb($2::text))`, [
    DEFAULT_PROJECT_STATE_KEY,
    projectId,
  ]);
  return projectId;
}

async function ensureKeys(db: Queryable, projectId: string): Promise<ProjectKeys> {
  const existing = await db.query<ProjectKeys>(
    `SELECT "publishableClientKey", "secretServerKey", "superSecretAdminKey" FROM "ApiKeySet"
     WHERE "projectId" = $1 AND "manuallyRevokedAt" IS NULL AND "expiresAt" > now()
       AND "publishableClientKey" IS NOT NULL AND "secretServerKey" IS NOT NULL AND "superSecretAdminKey" IS NOT NULL
     ORDER BY "createdAt" LIMIT 1`,
    [projectId],
  );
  if (existing.rows[0]) return existing.rows[0];
  const keys = generateProjectKeys();
  await db.query(
    `INSERT INTO "ApiKeySet" ("projectId", "description", "expiresAt", "publishableClientKey", "secretServerKey", "superSecretAdminKey")
     VALUES ($1, 'Hexclave Companion emulator keys', $2, $3, $4, $5)`,
    [projectId, KEY_SET_EXPIRY, keys.publishableClientKey, keys.secretServerKey, keys.superSecretAdminKey],
  );
  return keys;
}

async function ensureInTransaction(db: Queryable, options: EnsureProjectOptions): Promise<EmulatorProject> {
  const projectId = options.projectId ?? (await defaultProjectId(db));
  const branchId = options.branchId ?? 'main';
  await db.query(
    `INSERT INTO "Project" ("id", "displayName", "isProductionMode") VALUES ($1, $2, false) ON CONFLICT ("id") DO NOTHING`,
    [projectId, options.displayName ?? DEFAULT_DISPLAY_NAME],
  );
  const tenancy = await db.query<{ id: string }>(
    `WITH inserted AS (
       INSERT INTO "Tenancy" ("projectId", "branchId", "hasNoOrganization") VALUES ($1, $2, 'TRUE')
       ON CONFLICT ("projectId", "branchId", "hasNoOrganization") DO NOTHING RETURNING "id"
     )
     SELECT "id" FROM inserted
     UNION ALL
     SELECT "id" FROM "Tenancy" WHERE "projectId" = $1 AND "branchId" = $2 AND "hasNoOrganization" = 'TRUE'`,
    [projectId, branchId],
  );
  const project = await db.query<{ displayName: string }>(
    `SELECT "displayName" FROM "Project" WHERE "id" = $1`,
    [projectId],
  );
  return {
    projectId,
    tenancyId: tenancy.rows[0]!.id,
    branchId,
    displayName: project.rows[0]!.displayName,
    keys: await ensureKeys(db, projectId),
  };
}

/**
 * Create (or find) a project with its tenancy on `branchId` and a pck/ssk/sak key set in a migrated internal
 * database. Idempotent: calling it again returns the same ids and keys, so an emulator restart keeps them.
 * Runs in its own transaction: pass a URL, a Pool, or a client that is not inside a transaction.
 */
export async function ensureProject(
  target: string | pg.Pool | pg.ClientBase,
  options: EnsureProjectOptions = {},
): Promise<EmulatorProject> {
  if (options.projectId !== undefined && !UUID.test(options.projectId)) {
    throw new Error(
      `Project id "${options.projectId}" must be a UUID: the Stack/Hexclave SDKs reject anything else.`,
    );
  }
  if (typeof target === 'string') {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      return await inLockedTransaction(client, options);
    } finally {
      await client.end();
    }
  }
  if (target instanceof pg.Pool) {
    const client = await target.connect();
    try {
      return await inLockedTransaction(client, options);
    } finally {
      client.release();
    }
  }
  return inLockedTransaction(target, options);
}

async function inLockedTransaction(
  db: pg.ClientBase,
  options: EnsureProjectOptions,
): Promise<EmulatorProject> {
  await db.query('BEGIN');
  try {
    // Two emulators starting on one database must agree on the default project and its keys.
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('hexclave-emulator-project'))`);
    const project = await ensureInTransaction(db, options);
    await db.query('COMMIT');
    return project;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
