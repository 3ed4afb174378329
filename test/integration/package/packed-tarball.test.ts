import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../main/package-root.js';
import { postgresTempDir } from '../../helpers/temp-dir.js';
import { waitUntil } from '../../helpers/wait.js';

// What a user gets from the registry: `npm pack`, then `npm install --omit=dev` of the tarball into an empty
// folder, then `npx hexclave-companion …` there. Nothing may need a dev dependency or a file outside the package.
// The commands run concurrently: most of their time is npx and Node starting, on two cores.

const run = promisify(execFile);
const work = postgresTempDir('hexclave-packed-');
const app = join(work, 'app');
const home = join(work, 'home');
const env = {
  ...process.env,
  NO_COLOR: '1',
  HEXCLAVE_COMPANION_HOME: home,
  npm_config_update_notifier: 'false',
};

const npx = (args: readonly string[]) =>
  run('npx', ['--no-install', 'hexclave-companion', ...args], { cwd: app, env, encoding: 'utf8' });

interface Running {
  readonly firstLine: string;
  readonly child: ChildProcess;
  stderr(): string;
  /** Ctrl+C: SIGINT to the whole process group (npx does not forward signals), then npx's exit code. */
  interrupt(): Promise<number | null>;
}

/** `npx hexclave-companion <args>` in its own process group, until it prints its first stdout line. */
function start(args: readonly string[]): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no-install', 'hexclave-companion', ...args], {
      cwd: app,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      if (!stdout.includes('\n')) return;
      resolve({
        firstLine: stdout.split('\n')[0]!,
        child,
        stderr: () => stderr,
        interrupt: async () => {
          process.kill(-child.pid!, 'SIGINT');
          return exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${stderr}`)));
  });
}

/** True once no process of the group is left (the CLI, npx and its shell). */
function groupGone(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return false;
  } catch {
    return true;
  }
}

beforeAll(async () => {
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', work], {
    cwd: packageRoot(),
    env,
    encoding: 'utf8',
  });
  const tarball = join(work, stdout.trim().split('\n').at(-1)!);
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  // From the local cache where it can (the repository's own install filled it), the registry otherwise.
  await run(
    'npm',
    ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball],
    { cwd: app, env, encoding: 'utf8' },
  );
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.concurrent('the packed package, installed without dev dependencies', { timeout: 120_000 }, () => {
  it('installs no dev dependency and ships the built CLI, UI and overlay, not the sources', () => {
    const installed = join(app, 'node_modules');
    // typescript is a runtime dependency: the scanner parses the user's sources with it.
    for (const dev of ['tsx', 'esbuild', 'vite', 'react', 'electron', 'vitest'])
      expect(existsSync(join(installed, dev)), dev).toBe(false);
    const pkg = join(installed, 'hexclave-companion');
    expect(readdirSync(pkg).sort()).toEqual(['README.md', 'bin', 'docs', 'out', 'package.json']);
    for (const file of ['out/main/cli.js', 'out/renderer/index.html', 'out/overlay/overlay.js'])
      expect(existsSync(join(pkg, file)), file).toBe(true);
  });

  it('ids and env answer through npx', async () => {
    const ids = await npx(['ids', 'stack-refresh']);
    expect(ids.stdout).toContain('hexclave-refresh-{projectId}--default');
    const envReport = await npx(['env', '--json', '--no-process-env']);
    expect(JSON.parse(envReport.stdout)).toMatchObject({ dir: app, nodeEnv: expect.any(String) });
  });

  it('mcp answers tools/list over stdio', async () => {
    const transport = new StdioClientTransport({
      command: 'npx',
      args: ['--no-install', 'hexclave-companion', 'mcp'],
      cwd: app,
      env: env as Record<string, string>,
      stderr: 'ignore',
    });
    const client = new Client({ name: 'packed-tarball', version: '0.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('ask_hexclave');
    } finally {
      await client.close();
    }
  });

  it('serve serves the UI and the overlay script, and stops on Ctrl+C', async () => {
    const serve = await start(['serve', '--json']);
    const ready = JSON.parse(serve.firstLine) as { url: string; overlayScript: string };
    const page = await fetch(new URL(ready.url).origin);
    expect(await page.text()).toContain('<div id="root">');
    const overlay = await fetch(ready.overlayScript);
    expect(overlay.status).toBe(200);
    expect((await overlay.text()).length).toBeGreaterThan(10_000);
    await serve.interrupt();
    await waitUntil(() => groupGone(serve.child.pid!), Boolean, 'serve to exit', 20_000);
  });

  it('emulator --ephemeral starts embedded Postgres, serves, and removes it on Ctrl+C', async () => {
    const emulator = await start(['emulator', '--ephemeral']);
    const ready = JSON.parse(emulator.firstLine) as { event: string; apiUrl: string };
    expect(ready.event).toBe('ready');
    const health = await fetch(`${ready.apiUrl}/health`);
    expect(health.status).toBeLessThan(500);
    const dataDir = /PostgreSQL in (\S+) \(removed on exit\)/.exec(emulator.stderr())?.[1];
    expect(dataDir && existsSync(dataDir)).toBe(true);
    await emulator.interrupt();
    await waitUntil(() => groupGone(emulator.child.pid!), Boolean, 'the emulator to exit', 30_000);
    expect(existsSync(dataDir!)).toBe(false);
  });
});
