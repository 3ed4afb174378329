import type { Queryable } from '../../db/index.js';
import type { ConfigOverride } from './config/override.js';
import { type RenderedConfig, renderConfig } from './config/rendered.js';
import type { ProjectRecord } from './tenancy.js';

export type KeyKind = 'publishableClientKey' | 'secretServerKey' | 'superSecretAdminKey';

export interface ProjectLookup {
  readonly project: ProjectRecord;
  /** Null when the project has no tenancy on the requested branch. */
  readonly tenancyId: string | null;
  readonly keyValid: boolean;
  /** The branch's rendered configuration (the project level alone when the branch does not exist). */
  readonly config: RenderedConfig;
}

const KEY_COLUMNS: Record<KeyKind, string> = {
  publishableClientKey: '"publishableClientKey"',
  secretServerKey: '"secretServerKey"',
  superSecretAdminKey: '"superSecretAdminKey"',
};

const millis = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8`;

/** Columns of a `Project` row (alias p) as a ProjectRecord. */
export const PROJECT_COLUMNS = `p."id", p."displayName", p."description", ${millis('p."createdAt"')} AS "createdAtMillis",
  p."isProductionMode", p."ownerTeamId", p."logoUrl", p."logoFullUrl", p."logoDarkModeUrl", p."logoFullDarkModeUrl",
  p."onboardingStatus"`;

interface Row extends ProjectRecord {
  readonly tenancyId: string | null;
  readonly keyValid: boolean;
  readonly projectOverride: ConfigOverride | null;
  readonly branchOverride: ConfigOverride | null;
  readonly environmentOverride: ConfigOverride | null;
}

/**
 * Project, tenancy of the branch, key validity (upstream's checkApiKeySetQuery: a key set that is not revoked and
 * not expired) and the three config override levels, in one round trip. Null when the project does not exist.
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
  const { rows } = await db.query<Row>(
    `SELECT ${PROJECT_COLUMNS},
       (SELECT t."id" FROM "Tenancy" t
        WHERE t."projectId" = p."id" AND t."branchId" = $2 AND t."hasNoOrganization" = 'TRUE') AS "tenancyId",
       ${keyValid} AS "keyValid",
       p."projectConfigOverride" AS "projectOverride",
       (SELECT b."config" FROM "BranchConfigOverride" b WHERE b."projectId" = p."id" AND b."branchId" = $2) AS "branchOverride",
       (SELECT e."config" FROM "EnvironmentConfigOverride" e WHERE e."projectId" = p."id" AND e."branchId" = $2) AS "environmentOverride"
     FROM "Project" p WHERE p."id" = $1`,
    key ? [projectId, branchId, key.value] : [projectId, branchId],
  );
  const row = rows[0];
  if (!row) return null;
  const {
    tenancyId,
    keyValid: valid,
    projectOverride,
    branchOverride,
    environmentOverride,
    ...project
  } = row;
  return {
    project,
    tenancyId,
    keyValid: valid,
    config: renderConfig([projectOverride ?? {}, branchOverride ?? {}, environmentOverride ?? {}]),
  };
}
