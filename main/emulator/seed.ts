import type pg from 'pg';
import type { EmulatorProject } from './domain/projects/index.js';
import { hashPassword } from './domain/users/index.js';

/** Every seeded user signs in with this password (one shared hash keeps seeding set-based). */
export const SEED_USER_PASSWORD = 'hexclave-seed-password';
export const seedUserEmail = (n: number) => `seed-user-${n}@example.com`;

// A deterministic, valid version-4 UUID per (project, kind, n): md5 with the version and variant nibbles set.
const seedUuid = (kind: string) =>
  `overlay(overlay(md5($2 || ':seed-${kind}:' || n) placing '4' from 13) placing '8' from 17)::uuid`;

/**
 * Make sure seed users 1…count exist, each with a verified primary e-mail used for sign-in and the shared
 * password: four set-based INSERT … SELECT statements in one transaction, skipping rows that already exist, so
 * running it again (every emulator start) changes nothing.
 */
export async function seedUsers(
  pool: pg.Pool,
  project: EmulatorProject,
  count: number,
): Promise<{ inserted: number }> {
  if (count === 0) return { inserted: 0 };
  const passwordHash = await hashPassword(SEED_USER_PASSWORD);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const params = [project.tenancyId, project.projectId, project.branchId, count];
    const users = await client.query(
      `INSERT INTO "ProjectUser" ("tenancyId", "projectUserId", "mirroredProjectId", "mirroredBranchId", "displayName",
         "createdAt", "updatedAt", "lastActiveAt", "signedUpAt")
       SELECT $1, ${seedUuid('user')}, $2, $3, 'Seed User ' || n, at, at, at, at
       FROM generate_series(1, $4::int) AS n, LATERAL (SELECT timestamp '2024-01-01' + n * interval '1 second' AS at) t
       ON CONFLICT DO NOTHING`,
      params,
    );
    await client.query(
      `INSERT INTO "ContactChannel" ("tenancyId", "projectUserId", "id", "type", "isPrimary", "usedForAuth", "isVerified", "value")
       SELECT $1, pu."projectUserId", ${seedUuid('channel')}, 'EMAIL', 'TRUE', 'TRUE', true, 'seed-user-' || n || '@example.com'
       FROM generate_series(1, $4::int) AS n
       JOIN "ProjectUser" pu ON pu."tenancyId" = $1 AND pu."projectUserId" = ${seedUuid('user')} AND pu."mirroredBranchId" = $3
       ON CONFLICT DO NOTHING`,
      params,
    );
    await client.query(
      `INSERT INTO "AuthMethod" ("tenancyId", "id", "projectUserId")
       SELECT $1, ${seedUuid('auth')}, pu."projectUserId"
       FROM generate_series(1, $4::int) AS n
       JOIN "ProjectUser" pu ON pu."tenancyId" = $1 AND pu."projectUserId" = ${seedUuid('user')} AND pu."mirroredBranchId" = $3
       ON CONFLICT DO NOTHING`,
      params,
    );
    await client.query(
      `INSERT INTO "PasswordAuthMethod" ("tenancyId", "authMethodId", "projectUserId", "passwordHash")
       SELECT $1, am."id", am."projectUserId", $4
       FROM generate_series(1, $3::int) AS n
       JOIN "AuthMethod" am ON am."tenancyId" = $1 AND am."id" = ${seedUuid('auth')}
       ON CONFLICT DO NOTHING`,
      [project.tenancyId, project.projectId, count, passwordHash],
    );
    await client.query('COMMIT');
    return { inserted: users.rowCount ?? 0 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
