import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
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
 * One temp root for the whole run: TMPDIR points into it before any worker or child process starts, so every
 * folder a test, a CLI it spawns or Chromium makes is removed with it at the end, whether or not the test cleaned up
 * (a run used to leave a dozen behind). Readable by the `postgres` user, which the embedded server runs as under root.
 *
 * One real PostgreSQL server for the whole run: DATABASE_URL when set (any server where the role may CREATE
 * DATABASE), otherwise an embedded cluster in that root. Each test file gets its own database from it.
 */
export default async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), 'hexclave-test-'));
  chmodSync(root, 0o755);
  process.env.TMPDIR = root;
  const removeRoot = () => rmSync(root, { recursive: true, force: true });
  const external = process.env.DATABASE_URL;
  if (external) {
    project.provide('postgresAdminUrl', external);
    return removeRoot;
  }
  const dataDir = mkdtempSync(join(root, 'pg-'));
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: true });
  project.provide('postgresAdminUrl', server.adminUrl);
  return async () => {
    await server.stop();
    removeRoot();
  };
}
