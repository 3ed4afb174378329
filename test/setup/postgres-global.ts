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

/** The temp root one `vitest run` shares: Vitest runs this setup once per project, in one process. */
interface TempRoot {
  readonly path: string;
  holders: number;
}

const shared = globalThis as { hexclaveTestRoot?: TempRoot };

/**
 * One temp root for the whole run: TMPDIR points into it before any worker or child process starts, so every
 * folder a test, a CLI it spawns or Chromium makes is removed with it at the end, whether or not the test cleaned up
 * (a run used to leave a dozen behind). Readable by the `postgres` user, which the embedded server runs as under root.
 */
function holdTempRoot(): TempRoot {
  if (!shared.hexclaveTestRoot) {
    const path = mkdtempSync(join(tmpdir(), 'hexclave-test-'));
    chmodSync(path, 0o755);
    process.env.TMPDIR = path;
    shared.hexclaveTestRoot = { path, holders: 0 };
  }
  shared.hexclaveTestRoot.holders++;
  return shared.hexclaveTestRoot;
}

/** The last project to finish removes the root. */
function releaseTempRoot(root: TempRoot): void {
  if (--root.holders > 0) return;
  shared.hexclaveTestRoot = undefined;
  rmSync(root.path, { recursive: true, force: true });
}

/**
 * A real PostgreSQL server per project: DATABASE_URL when set (any server where the role may CREATE DATABASE),
 * otherwise an embedded cluster in the run's temp root. Each test file gets its own database from it. Kept per
 * project: the one run with a single shared server saw a 69 ms long task in the UI project's backfill frame test
 * (16.8–33.4 ms in the runs before it), beside a server holding every integration test's databases.
 */
export default async function setup(project: TestProject) {
  const root = holdTempRoot();
  const external = process.env.DATABASE_URL;
  if (external) {
    project.provide('postgresAdminUrl', external);
    return () => releaseTempRoot(root);
  }
  const server = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(root.path, 'pg-')),
    ephemeral: true,
  });
  project.provide('postgresAdminUrl', server.adminUrl);
  return async () => {
    await server.stop();
    releaseTempRoot(root);
  };
}
