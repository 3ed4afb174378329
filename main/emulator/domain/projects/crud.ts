import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import { adminConfigJson, type LegacyConfigUpdate, legacyConfigOverride } from './config/legacy.js';
import type { RenderedConfig } from './config/rendered.js';
import { patchOverride } from './config/store.js';
import { ensureTenancy } from './ensure.js';
import { PROJECT_COLUMNS } from './lookup.js';
import { DEFAULT_BRANCH_ID, type ProjectRecord } from './tenancy.js';

/** The fields of upstream's projects CRUD that live on the Project row. */
export interface ProjectFields {
  readonly display_name?: string;
  readonly description?: string | null;
  readonly is_production_mode?: boolean;
  readonly logo_url?: string | null;
  readonly logo_full_url?: string | null;
  readonly logo_dark_mode_url?: string | null;
  readonly logo_full_dark_mode_url?: string | null;
  readonly onboarding_status?: string;
  readonly config?: LegacyConfigUpdate;
}

const COLUMNS: Record<string, string> = {
  display_name: 'displayName',
  is_production_mode: 'isProductionMode',
  logo_url: 'logoUrl',
  logo_full_url: 'logoFullUrl',
  logo_dark_mode_url: 'logoDarkModeUrl',
  logo_full_dark_mode_url: 'logoFullDarkModeUrl',
  onboarding_status: 'onboardingStatus',
};

export async function readProject(db: Queryable, projectId: string): Promise<ProjectRecord | null> {
  const { rows } = await db.query<ProjectRecord>(
    `SELECT ${PROJECT_COLUMNS} FROM "Project" p WHERE p."id" = $1`,
    [projectId],
  );
  return rows[0] ?? null;
}

/**
 * A new project (upstream's createOrUpdateProjectWithLegacyConfig, create): a UUID, the main tenancy, and the
 * legacy config as its environment override on top of a new project's defaults. Run inside a transaction.
 */
export async function createProject(
  db: Queryable,
  fields: ProjectFields & { readonly display_name: string; readonly owner_team_id: string | null },
): Promise<string> {
  const projectId = randomUUID();
  await db.query(
    `INSERT INTO "Project" ("id", "displayName", "description", "isProductionMode", "ownerTeamId", "logoUrl",
       "logoFullUrl", "logoDarkModeUrl", "logoFullDarkModeUrl", "onboardingStatus", "projectConfigOverride")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10, 'completed'), '{}')`,
    [
      projectId,
      fields.display_name,
      fields.description ?? '',
      fields.is_production_mode ?? false,
      fields.owner_team_id,
      fields.logo_url ?? null,
      fields.logo_full_url ?? null,
      fields.logo_dark_mode_url ?? null,
      fields.logo_full_dark_mode_url ?? null,
      fields.onboarding_status ?? null,
    ],
  );
  await ensureTenancy(db, projectId, DEFAULT_BRANCH_ID);
  await patchOverride(
    db,
    'environment',
    { projectId, branchId: DEFAULT_BRANCH_ID },
    legacyConfigOverride(fields.config ?? {}, true),
  );
  return projectId;
}

/** Update the row fields given and apply the legacy config to the branch's environment override. */
export async function updateProject(
  db: Queryable,
  projectId: string,
  branchId: string,
  fields: ProjectFields,
): Promise<void> {
  const pairs = Object.entries(COLUMNS)
    .filter(([field]) => fields[field as keyof ProjectFields] !== undefined)
    .map(([field, column]) => [column, fields[field as keyof ProjectFields]] as const);
  if (fields.description !== undefined) pairs.push(['description', fields.description ?? '']);
  const assignments = ['"updatedAt" = now()', ...pairs.map(([column], i) => `"${column}" = $${i + 2}`)];
  const { rowCount } = await db.query(`UPDATE "Project" SET ${assignments.join(', ')} WHERE "id" = $1`, [
    projectId,
    ...pairs.map(([, value]) => value),
  ]);
  if (!rowCount) throw knownError('PROJECT_NOT_FOUND', projectId);
  if (fields.config) {
    await patchOverride(
      db,
      'environment',
      { projectId, branchId },
      legacyConfigOverride(fields.config, false),
    );
  }
}

/**
 * Delete a project and everything in its tenancies. Users and teams are keyed by tenancy without a foreign key to
 * it (as upstream's schema), so they are deleted first, each with its change-capture tombstones. Run in a
 * transaction.
 */
export async function deleteProject(db: Queryable, projectId: string): Promise<void> {
  const tenancies = `(SELECT "id" FROM "Tenancy" WHERE "projectId" = $1)`;
  await db.query(`DELETE FROM "ProjectUser" WHERE "tenancyId" IN ${tenancies}`, [projectId]);
  await db.query(`DELETE FROM "Team" WHERE "tenancyId" IN ${tenancies}`, [projectId]);
  await db.query(`DELETE FROM "VerificationCode" WHERE "projectId" = $1`, [projectId]);
  await db.query(`DELETE FROM "BranchConfigOverride" WHERE "projectId" = $1`, [projectId]);
  await db.query(`DELETE FROM "EnvironmentConfigOverride" WHERE "projectId" = $1`, [projectId]);
  await db.query(`DELETE FROM "Project" WHERE "id" = $1`, [projectId]);
}

/** Upstream's admin project read (projectsCrudAdminReadSchema). */
export function projectJson(project: ProjectRecord, config: RenderedConfig) {
  return {
    id: project.id,
    display_name: project.displayName,
    description: project.description,
    logo_url: project.logoUrl,
    logo_full_url: project.logoFullUrl,
    logo_dark_mode_url: project.logoDarkModeUrl,
    logo_full_dark_mode_url: project.logoFullDarkModeUrl,
    created_at_millis: project.createdAtMillis,
    is_production_mode: project.isProductionMode,
    owner_team_id: project.ownerTeamId,
    onboarding_status: project.onboardingStatus,
    config: adminConfigJson(config),
  };
}
