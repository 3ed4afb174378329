import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { redactConnectionString } from '../../shared/redact.js';
import { postgresClusterDir } from '../app-paths.js';
import {
  clusterHolder,
  connectShortClient,
  ensureDatabase,
  recoverOrphanedCluster,
  startEmbeddedPostgres,
} from '../postgres/index.js';

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
  let client: pg.Client | undefined;
  try {
    client = await connectShortClient({ connectionString: url, connectionTimeoutMillis: 5000 });
    await client.query('SELECT 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmulatorStartError(
      `Cannot reach the database ${redactConnectionString(url)}: ${reason}. Check the URL and that the server is running.`,
    );
  } finally {
    await client?.end().catch(() => {});
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
  const holder = clusterHolder(dataDir);
  if (holder !== null) {
    throw new EmulatorStartError(
      `The Postgres data folder ${dataDir} is in use by another running emulator (postgres pid ${holder.postmasterPid}). Stop it, or pass --data-dir <other folder> or --ephemeral.`,
    );
  }
  // A server left behind by an emulator that was killed is stopped, and the folder taken over. (A fresh temp folder
  // has none; not awaiting anything there keeps it registered for shutdown from the moment it exists.)
  if (!options.ephemeral) await recoverOrphanedCluster(dataDir, options.log);
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
      // Also when Ctrl+C in a terminal already made Postgres shut down on its own: main/postgres watches its pid.
      await server.stop();
      if (options.ephemeral) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
