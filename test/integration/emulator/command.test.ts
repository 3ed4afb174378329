import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { postgresTempDir } from '../../helpers/temp-dir.js';

interface Ready {
  event: string;
  apiUrl: string;
  projectId: string;
  publishableClientKey: string;
  secretServerKey: string;
  superSecretAdminKey: string;
  internalProject: {
    id: string;
    publishableClientKey: string;
    secretServerKey: string;
    superSecretAdminKey: string;
  };
  mailboxUrl: string;
  mockOAuthUrl: string;
  svixUrl: string;
  storageUrl: string;
  internalDatabaseUrl: string;
  compat: string;
}

interface EmulatorProcess {
  readonly ready: Ready;
  readonly child: ChildProcess;
  stderr(): string;
  /** SIGTERM, then the exit code and everything printed on stdout. */
  terminate(): Promise<{ code: number | null; stdout: string }>;
}

let home: string;
const env = () => ({ ...process.env, NO_COLOR: '1', HEXCLAVE_COMPANION_HOME: home });

/** `hexclave-companion emulator …` as a real process (its own process group, like a service manager runs it). */
function startProcess(
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): Promise<EmulatorProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'emulator', ...args], {
      env: { ...env(), ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      if (!stdout.includes('\n')) return;
      resolve({
        ready: JSON.parse(stdout.split('\n')[0]!) as Ready,
        child,
        stderr: () => stderr,
        async terminate() {
          child.kill('SIGTERM');
          return { code: await exited, stdout };
        },
      });
    });
    void exited.then((code) =>
      reject(new Error(`emulator exited with ${code} before it was ready:\n${stderr}`)),
    );
  });
}

let database: TestDatabase & { drop(): Promise<void> };

beforeAll(async () => {
  home = postgresTempDir('hexclave-emulator-home-');
  database = await createTestDatabase('emulator_cli');
});

afterAll(async () => {
  await database?.drop();
  rmSync(home, { recursive: true, force: true });
});

describe('hexclave-companion emulator', () => {
  it('prints exactly one JSON ready line, serves, and stops cleanly on SIGTERM', async () => {
    const emulator = await startProcess(['--database-url', database.url, '--compat', 'legacy']);
    const { ready } = emulator;
    expect(ready).toMatchObject({ event: 'ready', compat: 'legacy', internalDatabaseUrl: database.url });
    expect(ready.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.projectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ready.publishableClientKey).toMatch(/^pck_[0-9a-hjkmnp-tv-z]{45}$/);
    expect(ready.secretServerKey).toMatch(/^ssk_[0-9a-hjkmnp-tv-z]{45}$/);
    expect(ready.superSecretAdminKey).toMatch(/^sak_[0-9a-hjkmnp-tv-z]{45}$/);
    expect(ready.internalProject).toEqual({
      id: 'internal',
      publishableClientKey: expect.stringMatching(/^pck_[0-9a-hjkmnp-tv-z]{45}$/),
      secretServerKey: expect.stringMatching(/^ssk_[0-9a-hjkmnp-tv-z]{45}$/),
      superSecretAdminKey: expect.stringMatching(/^sak_[0-9a-hjkmnp-tv-z]{45}$/),
    });
    expect(ready.mailboxUrl).toBe(ready.apiUrl);
    // Upstream's development port 8114 when free (another emulator of this run may hold it), else mounted.
    expect([`${ready.apiUrl}/mock-oauth`, 'http://127.0.0.1:8114']).toContain(ready.mockOAuthUrl);
    // Likewise the webhooks API on upstream's Svix port 8113.
    expect([`${ready.apiUrl}/svix`, 'http://127.0.0.1:8113']).toContain(ready.svixUrl);
    // And uploaded images on upstream's S3 port 8121.
    expect([`${ready.apiUrl}/stack-storage`, 'http://127.0.0.1:8121/stack-storage']).toContain(
      ready.storageUrl,
    );
    expect(await (await fetch(`${ready.apiUrl}/health`)).json()).toEqual({ status: 'ok' });
    const { code, stdout } = await emulator.terminate();
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(emulator.stderr()).toContain('Stopped.');
    await expect(fetch(`${ready.apiUrl}/health`)).rejects.toThrow();
  });

  it('puts the mock OAuth provider and the webhooks API on upstream’s ports <prefix>14 and <prefix>13 when free, else mounts them and says why', async () => {
    const blockers = [createServer(), createServer()];
    // Held by this test, or by someone else already: either way the emulator cannot have them.
    await Promise.all(
      [6514, 6513].map(
        (port, i) =>
          new Promise<void>((resolve) => {
            blockers[i]!.once('error', () => resolve());
            blockers[i]!.listen(port, '127.0.0.1', resolve);
          }),
      ),
    );
    const taken = await startProcess(['--database-url', database.url], {
      NEXT_PUBLIC_STACK_PORT_PREFIX: '65',
    }).finally(() => blockers.map((blocker) => blocker.close()));
    try {
      expect(taken.ready.mockOAuthUrl).toBe(`${taken.ready.apiUrl}/mock-oauth`);
      expect(taken.ready.svixUrl).toBe(`${taken.ready.apiUrl}/svix`);
      await expect
        .poll(() => taken.stderr())
        .toContain("Port 6514 (upstream's mock OAuth port) is in use, so the provider is mounted");
      await expect
        .poll(() => taken.stderr())
        .toContain("Port 6513 (upstream's Svix port) is in use, so the webhooks API is mounted at /svix");
    } finally {
      await taken.terminate();
    }
    const mounted = await startProcess([
      '--database-url',
      database.url,
      '--mock-oauth-port',
      'mounted',
      '--svix-port',
      'mounted',
      '--storage-port',
      'mounted',
    ]);
    try {
      expect(mounted.ready.mockOAuthUrl).toBe(`${mounted.ready.apiUrl}/mock-oauth`);
      expect(mounted.ready.svixUrl).toBe(`${mounted.ready.apiUrl}/svix`);
      expect(mounted.ready.storageUrl).toBe(`${mounted.ready.apiUrl}/stack-storage`);
      // Mounted, it is still Svix's API: an unknown token is Svix's 401.
      const response = await fetch(`${mounted.ready.svixUrl}/api/v1/app/${mounted.ready.projectId}/msg`);
      expect(response.status).toBe(401);
    } finally {
      await mounted.terminate();
    }
  });

  it('keeps the project and keys across restarts on the same database', async () => {
    const first = await startProcess(['--database-url', database.url]);
    await first.terminate();
    const second = await startProcess(['--database-url', database.url]);
    await second.terminate();
    const {
      apiUrl: _a,
      mailboxUrl: _m,
      mockOAuthUrl: _o,
      svixUrl: _s,
      storageUrl: _u,
      ...firstIdentity
    } = first.ready;
    const {
      apiUrl: _b,
      mailboxUrl: _n,
      mockOAuthUrl: _p,
      svixUrl: _t,
      storageUrl: _v,
      ...secondIdentity
    } = second.ready;
    expect(secondIdentity).toEqual(firstIdentity);
  });

  it('runs embedded Postgres in the app-data folder by default, and refuses a second emulator on it', async () => {
    const first = await startProcess([]);
    expect(existsSync(join(home, 'emulator', 'postgres', 'PG_VERSION'))).toBe(true);
    const clash = await runCli(['emulator'], { env: { HEXCLAVE_COMPANION_HOME: home } });
    expect(clash.code).toBe(2);
    expect(clash.stderr.trim().split('\n')).toHaveLength(1);
    expect(clash.stderr).toContain('in use by another running emulator');
    expect((await first.terminate()).code).toBe(0);
    const again = await startProcess([]);
    expect(again.ready.projectId).toBe(first.ready.projectId);
    await again.terminate();
  });

  it('removes an --ephemeral cluster on exit', async () => {
    const emulator = await startProcess(['--ephemeral']);
    const folder = /embedded PostgreSQL in (\S+?)[\s.]/.exec(emulator.stderr())?.[1];
    expect(folder && existsSync(folder)).toBe(true);
    expect((await emulator.terminate()).code).toBe(0);
    expect(existsSync(folder!)).toBe(false);
  });
});

describe('hexclave-companion emulator cannot run', () => {
  let occupied: Server;
  let occupiedPort: number;

  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    occupiedPort = (occupied.address() as { port: number }).port;
  });

  afterAll(() => {
    occupied.close();
  });

  it.each([
    [['--compat', 'future'], '--compat must be "dual" or "legacy"'],
    [['--port', '99999'], '--port must be an integer between 0 and 65535'],
    [['--ephemeral', '--data-dir', '/tmp/x'], 'not both'],
    [['--access-token-ttl', 'soon'], 'positive duration'],
    [['--seed-users', 'many'], '--seed-users must be a whole number'],
    [['--project-id', 'my-project'], 'must be a UUID'],
    [['--issuer-base', 'ftp://example.com'], 'must use http: or https:'],
    [['--mock-oauth-port', '70000'], '--mock-oauth-port must be an integer between 0 and 65535'],
    [['--svix-port', 'soon'], '--svix-port must be an integer between 0 and 65535'],
    [['--storage-port', '-1'], '--storage-port must be an integer between 0 and 65535'],
  ])('exits 2 with one line for bad flags %j', async (args, message) => {
    const result = await runCli(['emulator', ...args], { env: { HEXCLAVE_COMPANION_HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('exits 2 with one line for a taken port, before starting Postgres', async () => {
    const result = await runCli(['emulator', '--port', String(occupiedPort), '--ephemeral'], {
      env: { HEXCLAVE_COMPANION_HOME: home },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `error: Port ${occupiedPort} on 127.0.0.1 is already in use. Pick another --port, or 0 for any free port.`,
    );
  });

  it('serves the mock OAuth provider on --mock-oauth-port, and names that flag when its port is taken', async () => {
    const result = await runCli(['emulator', '--mock-oauth-port', String(occupiedPort), '--ephemeral'], {
      env: { HEXCLAVE_COMPANION_HOME: home },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `error: Port ${occupiedPort} on 127.0.0.1 is already in use. Pick another --mock-oauth-port, or 0 for any free port.`,
    );
  });

  it('names --svix-port when the webhooks API’s port is taken', async () => {
    const result = await runCli(['emulator', '--svix-port', String(occupiedPort), '--ephemeral'], {
      env: { HEXCLAVE_COMPANION_HOME: home },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `error: Port ${occupiedPort} on 127.0.0.1 is already in use. Pick another --svix-port, or 0 for any free port.`,
    );
  });

  it('exits 2 with one redacted line for an unreachable database', async () => {
    const result = await runCli([
      'emulator',
      '--database-url',
      'postgres://someone:hunter2@127.0.0.1:1/nowhere',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('Cannot reach the database postgres://someone:*****@127.0.0.1:1/nowhere');
    expect(result.stderr).not.toContain('hunter2');
  });
});
