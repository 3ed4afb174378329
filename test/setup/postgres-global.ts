import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '../../main/postgres/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

/** What one `vitest run` shares: Vitest runs this setup once per project, in one process. */
interface TestRun {
  readonly root: string;
  readonly server: Promise<EmbeddedPostgresHandle> | null;
  readonly adminUrl: Promise<string>;
  holders: number;
}

const shared = globalThis as { hexclaveTestRun?: TestRun };

/**
 * One temp root for the whole run: TMPDIR points into it before any worker or child process starts, so every
 * folder a test, a CLI it spawns or Chromium makes is removed with it at the end, whether or not the test cleaned up
 * (a run used to leave a dozen behind). Readable by the `postgres` user, which the embedded server runs as under root.
 *
 * One real PostgreSQL server for the whole run: DATABASE_URL when set (any server where the role may CREATE
 * DATABASE), otherwise an embedded cluster in that root (each project used to start its own: three per run). Each
 * test file gets its own database from it.
 */
function joinRun(): TestRun {
  if (!shared.hexclaveTestRun) {
    const root = mkdtempSync(join(tmpdir(), 'hexclave-test-'));
    chmodSync(root, 0o755);
    process.env.TMPDIR = root;
    const external = process.env.DATABASE_URL;
    const server = external
      ? null
      : startEmbeddedPostgres({ dataDir: mkdtempSync(join(root, 'pg-')), ephemeral: true });
    const adminUrl = server ? server.then((s) => s.adminUrl) : Promise.resolve(external!);
    shared.hexclaveTestRun = { root, server, adminUrl, holders: 0 };
  }
  shared.hexclaveTestRun.holders++;
  return shared.hexclaveTestRun;
}

export default async function setup(project: TestProject) {
  const run = joinRun();
  project.provide('postgresAdminUrl', await run.adminUrl);
  // The last project to finish stops the server and removes the root.
  return async () => {
    if (--run.holders > 0) return;
    shared.hexclaveTestRun = undefined;
    await (await run.server)?.stop();
    rmSync(run.root, { recursive: true, force: true });
  };
}
