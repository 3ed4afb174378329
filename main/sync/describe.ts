import { postgresClusterDir } from '../app-paths.js';
import { ensureDatabase, startEmbeddedPostgres } from '../postgres/index.js';
import { openClient } from './pg.js';
import { inspectSource, type TenancyInfo } from './source/inspect.js';

export interface SourceDescription {
  readonly tenancies: readonly TenancyInfo[];
  readonly mappings: readonly string[];
  readonly skippedMappings: readonly { mapping: string; reason: string }[];
  readonly changeCapture: 'triggers' | 'application';
}

/** What a source database offers, without starting anything (for choosing a tenancy, or showing a preview). */
export async function describeSource(url: string): Promise<SourceDescription> {
  const client = await openClient(url, 'describe');
  try {
    const shape = await inspectSource(client);
    return {
      tenancies: shape.tenancies,
      mappings: shape.mappings.map((m) => m.name),
      skippedMappings: shape.skipped,
      changeCapture: shape.changeCapture,
    };
  } finally {
    await client.end().catch(() => {});
  }
}

export const EMBEDDED_MIRROR_DATABASE = 'hexclave_mirror';

/**
 * The default target: a database in an embedded PostgreSQL cluster kept in the app data directory (persists across
 * runs). Returns its URL and how to stop the cluster.
 */
export async function startEmbeddedMirror(
  options: { port?: number; log?: (line: string) => void } = {},
): Promise<{ url: string; dataDir: string; stop(): Promise<void> }> {
  const dataDir = postgresClusterDir('mirror');
  const server = await startEmbeddedPostgres({ dataDir, ...options });
  const url = await ensureDatabase(server.adminUrl, EMBEDDED_MIRROR_DATABASE);
  return { url, dataDir, stop: () => server.stop() };
}
