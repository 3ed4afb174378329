import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../main/package-root.js';

const home = mkdtempSync(join(tmpdir(), 'npm-start-home-'));
chmodSync(home, 0o755);
afterAll(() => rmSync(home, { recursive: true, force: true }));

// In the UI group, not integration: start.mjs rebuilds out/, which the integration suites' servers read concurrently.
describe('npm start', () => {
  // With no display (CI, SSH) Electron cannot open a window, whether or not its binary was downloaded.
  it('builds, says why Electron cannot start, serves the UI and its API, and stops on SIGTERM', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', HEXCLAVE_COMPANION_HOME: home };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const child = spawn(process.execPath, [join(packageRoot(), 'scripts', 'start.mjs'), '--json'], {
      cwd: packageRoot(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const ready = await new Promise<{ url: string }>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${stderr}`)));
    });
    try {
      expect(stderr).toMatch(/Electron cannot start: .+\. Serving the same UI in your browser instead\./);
      const url = new URL(ready.url);
      const page = await fetch(url.origin);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const token = new URLSearchParams(url.hash.slice(1)).get('token');
      const reply = await fetch(`${url.origin}/api/rpc/registry.search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'stack-refresh' }),
      });
      const { result } = (await reply.json()) as { result: { entries: { new: string | null }[] } };
      expect(result.entries.map((e) => e.new)).toContain('hexclave-refresh-{projectId}--default');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 180_000);
});
