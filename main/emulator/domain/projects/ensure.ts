import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { secureRandomString } from '../../../../shared/encoding.js';
import { connectShortClient } from '../../../postgres/index.js';
import type { Queryable } from '../../db/index.js';
import { type LegacyConfigUpdate, legacyConfigOverride } from './config/legacy.js';
import type { ConfigOverride } from './config/override.js';
import { DEFAULT_BRANCH_ID, INTERNAL_PROJECT_ID } from './tenancy.js';

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
const MOCK_PROVIDERS = ['github', 'google', 'microsoft', 'spotify'].map((id) => ({
  id,
  type: 'shared' as const,
}));

/** What the project apps use starts permissive, as a local backend should be; edits made later are kept. */
const APP_PROJECT: ProjectSeed = {
  description: 'The project your app signs in to, served by Hexclave Companion',
  project: { 'project.requirePublishableClientKey': true },
  environment: {
    sign_up_enabled: true,
    credential_enabled: true,
    magic_link_enabled: true,
    client_user_deletion_enabled: true,
    client_team_creation_enabled: true,
    allow_localhost: true,
    oauth_providers: MOCK_PROVIDERS,
    // Any http(s) origin may be a redirect target, so an app behind a tunnel or another hostname works as-is.
    domains: [
      { domain: 'http://**:**', handler_path: '/handler' },
      { domain: 'https://**:**', handler_path: '/handler' },
    ],
  },
};

/** Upstream's development seed of the dashboard's project (what its own e2e suite runs against). */
const INTERNAL_PROJECT: ProjectSeed = {
  description: 'The dashboard project: its users manage the other projects',
  project: { 'project.requirePublishableClientKey': true },
  environment: {
    sign_up_enabled: true,
    credential_enabled: true,
    magic_link_enabled: true,
    allow_localhost: true,
    create_team_on_sign_up: true,
    client_team_creation_enabled: true,
    oauth_providers: MOCK_PROVIDERS,
  },
  branch: { 'onboarding.requireEmailVerification': false },
};

interface ProjectSeed {
  readonly description: string;
  readonly project: ConfigOverride;
  readonly environment: LegacyConfigUpdate;
  readonly branch?: ConfigOverride;
}

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

/** The tenancy of (project, branch), created when missing. */
export async function ensureTenancy(db: Queryable, projectId: string, branchId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `WITH inserted AS (
       INSERT INTO "Tenancy" ("projectId", "branchId", "hasNoOrganization") VALUES ($1, $2, 'TRUE')
       ON CONFLICT ("projectId", "branchId", "hasNoOrganization") DO NOTHING RETURNING "id"
     )
     SELECT "id" FROM inserted
     UNION ALL
     SELECT "id" FROM "Tenancy" WHERE "projectId" = $1 AND "branchId" = $2 AND "hasNoOrganization" = 'TRUE'`,
    [projectId, branchId],
  );
  return rows[0]!.id;
}

/**
 * Create the project if missing, then give each config level its seed only where that level was never written,
 * so a database made before configs existed gets the same behaviour, and later edits survive restarts.
 */
async function ensureSeeded(
  db: Queryable,
  projectId: string,
  branchId: string,
  displayName: string,
  seed: ProjectSeed,
): Promise<EmulatorProject> {
  await db.query(
    `INSERT INTO "Project" ("id", "displayName", "description", "isProductionMode") VALUES ($1, $2, $3, false)
     ON CONFLICT ("id") DO NOTHING`,
    [projectId, displayName, seed.description],
  );
  const tenancyId = await ensureTenancy(db, projectId, branchId);
  await db.query(
    `UPDATE "Project" SET "projectConfigOverride" = $2 WHERE "id" = $1 AND "projectConfigOverride" IS NULL`,
    [projectId, seed.project],
  );
  await db.query(
    `INSERT INTO "EnvironmentConfigOverride" ("projectId", "branchId", "config") VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [projectId, branchId, legacyConfigOverride(seed.environment, true)],
  );
  if (seed.branch) {
    await db.query(
      `INSERT INTO "BranchConfigOverride" ("projectId", "branchId", "config") VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [projectId, branchId, seed.branch],
    );
  }
  const project = await db.query<{ displayName: string }>(
    `SELECT "displayName" FROM "Project" WHERE "id" = $1`,
    [projectId],
  );
  return {
    projectId,
    tenancyId,
    branchId,
    displayName: project.rows[0]!.displayName,
    keys: await ensureKeys(db, projectId),
  };
}

async function inLockedTransaction<T>(
  target: string | pg.Pool | pg.ClientBase,
  work: (db: pg.ClientBase) => Promise<T>,
): Promise<T> {
  const run = async (db: pg.ClientBase) => {
    await db.query('BEGIN');
    try {
      // Two emulators starting on one database must agree on the default project and its keys.
      await db.query(`SELECT pg_advisory_xact_lock(hashtext('hexclave-emulator-project'))`);
      const result = await work(db);
      await db.query('COMMIT');
      return result;
    } catch (error) {
      await db.query('ROLLBACK');
      throw error;
    }
  };
  if (typeof target === 'string') {
    const client = await connectShortClient({ connectionString: target });
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  }
  if (target instanceof pg.Pool) {
    const client = await target.connect();
    try {
      return await run(client);
    } finally {
      client.release();
    }
  }
  return run(target);
}

/**
 * Create (or find) the project apps use, with its tenancy on `branchId`, its configuration and a pck/ssk/sak key
 * set, in a migrated internal database. Idempotent: calling it again returns the same ids and keys, so an emulator
 * restart keeps them. Runs in its own transaction: pass a URL, a Pool, or a client that is not inside one.
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
  return inLockedTransaction(target, async (db) => {
    const projectId = options.projectId ?? (await defaultProjectId(db));
    return ensureSeeded(
      db,
      projectId,
      options.branchId ?? DEFAULT_BRANCH_ID,
      options.displayName ?? DEFAULT_DISPLAY_NAME,
      APP_PROJECT,
    );
  });
}

/** The `internal` project (upstream's dashboard project, display name "Stack Dashboard") and its key set. */
export function ensureInternalProject(target: string | pg.Pool | pg.ClientBase): Promise<EmulatorProject> {
  return inLockedTransaction(target, (db) =>
    ensureSeeded(db, INTERNAL_PROJECT_ID, DEFAULT_BRANCH_ID, 'Stack Dashboard', INTERNAL_PROJECT),
  );
}
