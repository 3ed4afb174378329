import { spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../main/postgres/index.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { setupTestEmulator } from '../../helpers/emulator.js';
import { createTestDatabase } from '../../helpers/postgres.js';
import { waitUntil } from '../../helpers/wait.js';

/**
 * Attack (issue 12 item 6): `sync` given a dead backend, a wrong key or a dead target must not look like success.
 * A run that did no work exits non-zero with one line on stderr naming the cause and the fix, and continuous sync
 * reports "error", never "ok", while its source fails.
 */

const emulator = setupTestEmulator({ label: 'sync_loud_src' });
let mirror: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  mirror = await createTestDatabase('sync_loud_dst');
});
afterAll(async () => {
  await mirror?.drop();
});

function apiArgs(apiUrl: string, key: string): string[] {
  return ['sync', '--source', apiUrl, '--project-id', emulator().projectId, '--secret-server-key', key];
}

describe('sync --once fails loudly', () => {
  it('exits non-zero with one line naming an unreachable API source and the fix', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const result = await runCli([...apiArgs(closed, 'ssk_whatever'), '--target', mirror.url, '--once']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`Cannot reach the backend API at ${closed} (ECONNREFUSED)`);
    expect(result.stderr).toMatch(/check the --source URL/);
  });

  it('exits non-zero with one line naming a wrong secret server key and the fix, never printing the key', async () => {
    const wrong = `ssk_${'0'.repeat(45)}`;
    const result = await runCli([...apiArgs(emulator().apiUrl, wrong), '--target', mirror.url, '--once']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/INVALID_SECRET_SERVER_KEY/);
    expect(result.stderr).toMatch(/--secret-server-key/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(wrong);
  });

  it('still succeeds with the right key (the check is not a false alarm)', async () => {
    const result = await runCli([
      ...apiArgs(emulator().apiUrl, emulator().secretServerKey),
      '--target',
      mirror.url,
      '--once',
    ]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('exits non-zero with one stderr line for a target it could not update', async () => {
    const dead = 'postgres://mirror_owner:sup3r-s3cret@127.0.0.1:1/nowhere';
    const result = await runCli([
      ...apiArgs(emulator().apiUrl, emulator().secretServerKey),
      '--target',
      dead,
      '--once',
    ]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: Target target-1 \(postgres:\/\/mirror_owner:\*+@127\.0\.0\.1:1\/nowhere\)/,
    );
    expect(lines[0]).toMatch(/check the host and port in --target/);
    expect(`${result.stdout}${result.stderr}`).not.toContain('sup3r-s3cret');
  });
});

describe('continuous sync', () => {
  let gate: Server;
  let up = true;

  beforeAll(async () => {
    // The backend behind a switch: forwarding while up, connections cut while down.
    const target = new URL(emulator().apiUrl);
    gate = createServer((req, res) => {
      if (!up) return req.socket.destroy();
      const forward = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => gate.close());

  it('reports "error", not "ok", while its API source is gone, and "ok" again once it is back', async () => {
    const port = (gate.address() as { port: number }).port;
    const child = spawn(
      process.execPath,
      [
        CLI,
        ...apiArgs(`http://127.0.0.1:${port}`, emulator().secretServerKey),
        '--target',
        mirror.url,
        '--interval',
        '0.3',
        '--json',
      ],
      { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: { targets: { state: string; lastError: string | null }[] }[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const part of parts) lines.push(JSON.parse(part));
    });
    const state = () => lines.at(-1)?.targets[0]?.state;
    try {
      await waitUntil(state, (s) => s === 'ok', 'the first successful round');
      up = false;
      await waitUntil(state, (s) => s === 'error', 'state "error" while the source is down');
      expect(lines.at(-1)?.targets[0]?.lastError).toMatch(/^source: /);
      up = true;
      await waitUntil(state, (s) => s === 'ok', 'state "ok" once the source is back');
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);
});
