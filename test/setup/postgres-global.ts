import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../main/postgres/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

/**
 * One real PostgreSQL server for the whole run: DATABASE_URL when set (any server where the role may CREATE
 * DATABASE), otherwise an embedded cluster in a temp dir. Each test file gets its own database from it.
 */
export default async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL;
  if (external) {
    project.provide('postgresAdminUrl', external);
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'hexclave-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: true });
  project.provide('postgresAdminUrl', server.adminUrl);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
