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

const ROOT_ENV = 'HEXCLAVE_TEST_TMP_ROOT';
const holders = globalThis as { hexclaveTestRootHolders?: number };

/**
 * One temp root for the whole run: TMPDIR points into it before any worker or child process starts, so every
 * folder a test, a CLI it spawns or Chromium makes is removed with it at the end, whether or not the test cleaned up
 * (a run used to leave a dozen behind). Readable by the `postgres` user, which the embedded server runs as under root.
 * Vitest runs this setup once per project: they share the root, and the last teardown removes it.
 */
function holdTempRoot(): () => void {
  let root = process.env[ROOT_ENV];
  if (!root) {
    root = mkdtempSync(join(tmpdir(), 'hexclave-test-'));
    chmodSync(root, 0o755);
    process.env[ROOT_ENV] = root;
    process.env.TMPDIR = root;
  }
  holders.hexclaveTestRootHolders = (holders.hexclaveTestRootHolders ?? 0) + 1;
  const held = root;
  return () => {
    holders.hexclaveTestRootHolders = (holders.hexclaveTestRootHolders ?? 1) - 1;
    if (holders.hexclaveTestRootHolders > 0) return;
    rmSync(held, { recursive: true, force: true });
    delete process.env[ROOT_ENV];
  };
}

/**
 * One real PostgreSQL server per project: DATABASE_URL when set (any server where the role may CREATE DATABASE),
 * otherwise an embedded cluster in the run's temp root. Each test file gets its own database from it.
 */
export default async function setup(project: TestProject) {
  const releaseRoot = holdTempRoot();
  const external = process.env.DATABASE_URL;
  if (external) {
    project.provide('postgresAdminUrl', external);
    return releaseRoot;
  }
  const dataDir = mkdtempSync(join(process.env[ROOT_ENV]!, 'pg-'));
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: true });
  project.provide('postgresAdminUrl', server.adminUrl);
  return async () => {
    await server.stop();
    releaseRoot();
  };
}
