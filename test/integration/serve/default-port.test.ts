import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SERVE_PORT } from '../../../main/serve/index.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { postgresTempDir } from '../../helpers/temp-dir.js';

// `serve` listens on the same port every launch (a bookmarked tab and the overlay's <script> tag keep working);
// when that port is taken it says so in one line, with the fix, and exits 2 instead of moving elsewhere silently.

const home = postgresTempDir('serve-default-port-');
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('serve’s fixed default port', () => {
  it('listens on the default port when no --port is given', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--json'], {
      env: { ...process.env, HEXCLAVE_COMPANION_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const ready = await new Promise<{ port: number; url: string }>((resolve, reject) => {
        let out = '';
        let err = '';
        child.stderr.on('data', (chunk) => (err += chunk));
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve(JSON.parse(line));
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
      });
      expect(ready.port).toBe(DEFAULT_SERVE_PORT);
      expect(ready.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${DEFAULT_SERVE_PORT}/`));
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('says the port is taken, how to fix it, and exits 2 when something holds it', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(DEFAULT_SERVE_PORT, '127.0.0.1', resolve));
    try {
      const result = await runCli(['serve'], { env: { HEXCLAVE_COMPANION_HOME: home } });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([
        `error: Port ${DEFAULT_SERVE_PORT} on 127.0.0.1 is already in use — another Hexclave Companion may be serving there (open http://127.0.0.1:${DEFAULT_SERVE_PORT}). Stop it, or pass --port with another port (0 = any free port).`,
      ]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
