import { secureRandomString } from '../../../../shared/encoding.js';
import type { Queryable } from '../../db/index.js';

/** A project's API key set (ApiKeySet row); the secret values only ever leave in the create answer. */
export interface ApiKeySetRecord {
  readonly id: string;
  readonly description: string;
  readonly createdAtMillis: number;
  readonly expiresAtMillis: number;
  readonly manuallyRevokedAtMillis: number | null;
  readonly publishableClientKey: string | null;
  readonly secretServerKey: string | null;
  readonly superSecretAdminKey: string | null;
}

const millis = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8`;
const COLUMNS = `"id", "description", ${millis('"createdAt"')} AS "createdAtMillis",
  ${millis('"expiresAt"')} AS "expiresAtMillis", ${millis('"manuallyRevokedAt"')} AS "manuallyRevokedAtMillis",
  "publishableClientKey", "secretServerKey", "superSecretAdminKey"`;

export async function createApiKeySet(
  db: Queryable,
  projectId: string,
  spec: {
    description: string;
    expiresAtMillis: number;
    publishableClientKey: boolean;
    secretServerKey: boolean;
    superSecretAdminKey: boolean;
  },
): Promise<ApiKeySetRecord> {
  const key = (on: boolean, prefix: string) => (on ? `${prefix}_${secureRandomString()}` : null);
  const { rows } = await db.query<ApiKeySetRecord>(
    `INSERT INTO "ApiKeySet" ("projectId", "description", "expiresAt", "publishableClientKey", "secretServerKey", "superSecretAdminKey")
     VALUES ($1, $2, to_timestamp($3::float8 / 1000) AT TIME ZONE 'UTC', $4, $5, $6) RETURNING ${COLUMNS}`,
    [
      projectId,
      spec.description,
      spec.expiresAtMillis,
      key(spec.publishableClientKey, 'pck'),
      key(spec.secretServerKey, 'ssk'),
      key(spec.superSecretAdminKey, 'sak'),
    ],
  );
  return rows[0]!;
}

/** Newest first, as upstream lists them. */
export async function listApiKeySets(db: Queryable, projectId: string): Promise<ApiKeySetRecord[]> {
  const { rows } = await db.query<ApiKeySetRecord>(
    `SELECT ${COLUMNS} FROM "ApiKeySet" WHERE "projectId" = $1 ORDER BY "createdAt" DESC, "id"`,
    [projectId],
  );
  return rows;
}

export async function readApiKeySet(db: Queryable, projectId: string, id: string) {
  const { rows } = await db.query<ApiKeySetRecord>(
    `SELECT ${COLUMNS} FROM "ApiKeySet" WHERE "projectId" = $1 AND "id" = $2`,
    [projectId, id],
  );
  return rows[0] ?? null;
}

/** Change the description and/or revoke (revoking twice keeps the first time). Null when not found. */
export async function updateApiKeySet(
  db: Queryable,
  projectId: string,
  id: string,
  update: { description?: string; revoke?: boolean },
): Promise<ApiKeySetRecord | null> {
  const { rows } = await db.query<ApiKeySetRecord>(
    `UPDATE "ApiKeySet" SET "description" = COALESCE($3, "description"),
       "manuallyRevokedAt" = CASE WHEN $4::boolean THEN COALESCE("manuallyRevokedAt", now()) ELSE "manuallyRevokedAt" END,
       "updatedAt" = now()
     WHERE "projectId" = $1 AND "id" = $2 RETURNING ${COLUMNS}`,
    [projectId, id, update.description ?? null, update.revoke ?? false],
  );
  return rows[0] ?? null;
}

/** The list/read shape: key values reduced to their last four characters. */
export function obfuscatedApiKeySetJson(set: ApiKeySetRecord) {
  const lastFour = (key: string | null) => (key ? { last_four: key.slice(-4) } : undefined);
  return JSON.parse(
    JSON.stringify({
      id: set.id,
      description: set.description,
      publishable_client_key: lastFour(set.publishableClientKey),
      secret_server_key: lastFour(set.secretServerKey),
      super_secret_admin_key: lastFour(set.superSecretAdminKey),
      created_at_millis: set.createdAtMillis,
      expires_at_millis: set.expiresAtMillis,
      manually_revoked_at_millis: set.manuallyRevokedAtMillis ?? undefined,
    }),
  );
}

/** The create answer: the only time the full keys are shown. */
export function createdApiKeySetJson(set: ApiKeySetRecord) {
  return JSON.parse(
    JSON.stringify({
      id: set.id,
      description: set.description,
      publishable_client_key: set.publishableClientKey ?? undefined,
      secret_server_key: set.secretServerKey ?? undefined,
      super_secret_admin_key: set.superSecretAdminKey ?? undefined,
      created_at_millis: set.createdAtMillis,
      expires_at_millis: set.expiresAtMillis,
      manually_revoked_at_millis: set.manuallyRevokedAtMillis ?? undefined,
    }),
  );
}
