import type { Queryable } from '../../../db/index.js';
import { applyOverride, type ConfigOverride, removeOverrideKeys } from './override.js';

/** Upstream's three override levels: per project, per branch (what a config push sets), per environment. */
export type ConfigLevel = 'project' | 'branch' | 'environment';

/** Where a branch's pushed config came from (upstream's branchConfigSourceSchema). */
export type BranchConfigSource =
  | { readonly type: 'pushed-from-github'; readonly [field: string]: unknown }
  | { readonly type: 'pushed-from-unknown' }
  | { readonly type: 'unlinked' };

export interface ConfigTarget {
  readonly projectId: string;
  readonly branchId: string;
}

export async function readOverride(
  db: Queryable,
  level: ConfigLevel,
  at: ConfigTarget,
): Promise<ConfigOverride> {
  const { rows } =
    level === 'project'
      ? await db.query<{ config: ConfigOverride | null }>(
          `SELECT "projectConfigOverride" AS "config" FROM "Project" WHERE "id" = $1`,
          [at.projectId],
        )
      : await db.query<{ config: ConfigOverride | null }>(
          `SELECT "config" FROM "${level === 'branch' ? 'BranchConfigOverride' : 'EnvironmentConfigOverride'}"
           WHERE "projectId" = $1 AND "branchId" = $2`,
          [at.projectId, at.branchId],
        );
  return rows[0]?.config ?? {};
}

/** Replace a level's override (and, for the branch level, its source when given). */
export async function writeOverride(
  db: Queryable,
  level: ConfigLevel,
  at: ConfigTarget,
  config: ConfigOverride,
  source?: BranchConfigSource,
): Promise<void> {
  if (level === 'project') {
    await db.query(`UPDATE "Project" SET "projectConfigOverride" = $2, "updatedAt" = now() WHERE "id" = $1`, [
      at.projectId,
      config,
    ]);
    return;
  }
  const table = level === 'branch' ? 'BranchConfigOverride' : 'EnvironmentConfigOverride';
  const withSource = level === 'branch' && source !== undefined;
  await db.query(
    `INSERT INTO "${table}" ("projectId", "branchId", "config"${withSource ? ', "source"' : ''})
     VALUES ($1, $2, $3${withSource ? ', $4' : ''})
     ON CONFLICT ("projectId", "branchId") DO UPDATE SET "config" = EXCLUDED."config",
       ${withSource ? '"source" = EXCLUDED."source",' : ''} "updatedAt" = now()`,
    withSource ? [at.projectId, at.branchId, config, source] : [at.projectId, at.branchId, config],
  );
}

/** Apply `patch` on top of a level's override (upstream's override*ConfigOverride); returns the new override. */
export async function patchOverride(
  db: Queryable,
  level: ConfigLevel,
  at: ConfigTarget,
  patch: ConfigOverride,
): Promise<ConfigOverride> {
  const next = applyOverride(await readOverride(db, level, at), patch);
  await writeOverride(db, level, at, next);
  return next;
}

export async function resetOverrideKeys(
  db: Queryable,
  level: ConfigLevel,
  at: ConfigTarget,
  keys: readonly string[],
): Promise<void> {
  await writeOverride(db, level, at, removeOverrideKeys(await readOverride(db, level, at), keys));
}

export async function readBranchSource(db: Queryable, at: ConfigTarget): Promise<BranchConfigSource> {
  const { rows } = await db.query<{ source: BranchConfigSource | null }>(
    `SELECT "source" FROM "BranchConfigOverride" WHERE "projectId" = $1 AND "branchId" = $2`,
    [at.projectId, at.branchId],
  );
  return rows[0]?.source ?? { type: 'unlinked' };
}

export async function writeBranchSource(db: Queryable, at: ConfigTarget, source: BranchConfigSource) {
  await db.query(
    `INSERT INTO "BranchConfigOverride" ("projectId", "branchId", "config", "source") VALUES ($1, $2, '{}', $3)
     ON CONFLICT ("projectId", "branchId") DO UPDATE SET "source" = EXCLUDED."source", "updatedAt" = now()`,
    [at.projectId, at.branchId, source],
  );
}
