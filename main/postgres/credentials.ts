import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The passwords of one embedded cluster: its superuser's and those of the login roles we create in it (the mirror's
 * read-only role). Kept in the cluster's own data directory (0700, owned by the server's OS user) as a file only
 * this user can read (0600), so the cluster and its credentials are copied, moved and deleted together.
 */
export const CREDENTIALS_FILE = 'hexclave-credentials.json';

const CredentialsSchema = z.object({
  superuser: z.object({ user: z.string(), password: z.string().min(16) }),
  /** Set until the superuser's password has been changed to `superuser.password` inside the cluster. */
  pending: z.boolean().optional(),
  roles: z.record(z.string(), z.string().min(16)).default({}),
});
export type ClusterCredentials = z.output<typeof CredentialsSchema>;

export class ClusterCredentialsError extends Error {
  override readonly name = 'ClusterCredentialsError';
}

/** 32 random bytes, URL-safe: goes into postgres:// URLs and SQL literals without escaping. */
export function randomPassword(): string {
  return randomBytes(32).toString('base64url');
}

export function credentialsPath(dataDir: string): string {
  return join(dataDir, CREDENTIALS_FILE);
}

export function readClusterCredentials(dataDir: string): ClusterCredentials | null {
  const path = credentialsPath(dataDir);
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    raw = null;
  }
  const parsed = CredentialsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ClusterCredentialsError(
      `${path} is not a valid credentials file. Restore it from a backup, or delete the cluster folder ${dataDir} to start over.`,
    );
  }
  return parsed.data;
}

/** Atomic write (temp file + rename) of a file only the current user can read. */
export function writeClusterCredentials(dataDir: string, credentials: ClusterCredentials): void {
  const path = credentialsPath(dataDir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/**
 * The password of a login role we manage in this cluster, created (random, stored) on first use. Only for clusters
 * whose superuser credentials are already written, i.e. after `startEmbeddedPostgres`.
 */
export function clusterRolePassword(dataDir: string, role: string): string {
  const credentials = readClusterCredentials(dataDir);
  if (!credentials) {
    throw new ClusterCredentialsError(
      `The cluster in ${dataDir} has no credentials file yet; start it first.`,
    );
  }
  const known = credentials.roles[role];
  if (known) return known;
  const password = randomPassword();
  writeClusterCredentials(dataDir, { ...credentials, roles: { ...credentials.roles, [role]: password } });
  return password;
}
