import type { Queryable } from '../db/index.js';

export type KeyKind = 'publishableClientKey' | 'secretServerKey' | 'superSecretAdminKey';

export interface ProjectLookup {
  readonly id: string;
  readonly displayName: string;
  /** Null when the project has no tenancy on the requested branch. */
  readonly tenancyId: string | null;
  readonly keyValid: boolean;
}

const KEY_COLUMNS: Record<KeyKind, string> = {
  publishableClientKey: '"publishableClientKey"',
  secretServerKey: '"secretServerKey"',
  superSecretAdminKey: '"superSecretAdminKey"',
};

/**
 * Project, tenancy of the branch and key validity in one round trip (upstream's checkApiKeySetQuery: a key set
 * that is not revoked and not expired). Null when the project does not exist.
 */
export async function lookupProject(
  db: Queryable,
  projectId: string,
  branchId: string,
  key?: { kind: KeyKind; value: string },
): Promise<ProjectLookup | null> {
  const keyValid = key
    ? `EXISTS (
         SELECT 1 FROM "ApiKeySet" k
         WHERE k."projectId" = p."id" AND k."manuallyRevokedAt" IS NULL AND k."expiresAt" > now()
           AND k.${KEY_COLUMNS[key.kind]} = $3
       )`
    : 'false';
  const { rows } = await db.query<ProjectLookup>(
    `SELECT p."id", p."displayName",
       (SELECT t."id" FROM "Tenancy" t
        WHERE t."projectId" = p."id" AND t."branchId" = $2 AND t."hasNoOrganization" = 'TRUE') AS "tenancyId",
       ${keyValid} AS "keyValid"
     FROM "Project" p WHERE p."id" = $1`,
    key ? [projectId, branchId, key.value] : [projectId, branchId],
  );
  return rows[0] ?? null;
}
