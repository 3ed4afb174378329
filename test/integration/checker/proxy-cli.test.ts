import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestHeaderName } from '../../../shared/registry/index.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { setupTestEmulator } from '../../helpers/emulator.js';

const emulator = setupTestEmulator({ compat: 'legacy' });

/** Lines of stdout as they arrive, with a way to wait for the next one matching a predicate. */
function lineReader(stream: NodeJS.ReadableStream) {
  const lines: string[] = [];
  let buffer = '';
  let wake: (() => void) | null = null;
  stream.on('data', (chunk) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
    wake?.();
  });
  return async (match: (line: string) => boolean): Promise<string> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = lines.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching line; got:\n${lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
    }
  };
}

describe('hexclave-companion proxy', () => {
  it('prints a ready event, one event per request with family and findings, and a redacted HAR on Ctrl+C', async () => {
    const emu = emulator();
    const har = join(mkdtempSync(join(tmpdir(), 'hexclave-proxy-')), 'live.har');
    const child = spawn(process.execPath, [CLI, 'proxy', '--target', emu.apiUrl, '--json', '--har', har], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const next = lineReader(child.stdout!);
    const ready = JSON.parse(await next((l) => l.includes('"ready"'))) as { url: string };
    const res = await fetch(`${ready.url}/api/v1/users/me`, {
      headers: {
        [requestHeaderName('header.project-id', 'hexclave')]: emu.projectId,
        [requestHeaderName('header.access-type', 'hexclave')]: 'client',
        [requestHeaderName('header.publishable-client-key', 'hexclave')]: emu.publishableClientKey,
      },
    });
    expect(res.status).toBe(400);
    const event = JSON.parse(await next((l) => l.includes('"exchange"'))) as {
      family: string;
      status: number;
      worst: string;
      findings: { ruleId: string; identifier: { names?: string[] } | null }[];
    };
    expect(event).toMatchObject({ family: 'new', status: 400, worst: 'error' });
    expect(event.findings.find((f) => f.ruleId === 'client.new-headers-ignored')?.identifier?.names).toEqual([
      requestHeaderName('header.access-type', 'hexclave'),
    ]);
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    const written = readFileSync(har, 'utf8');
    expect(JSON.parse(written).log.entries).toHaveLength(1);
    expect(written).not.toContain(emu.publishableClientKey);
  });

  it('exits 2 with one line on bad usage', async () => {
    const missing = await runCli(['proxy']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(
      'error: Missing --target URL (the backend to forward to, e.g. http://localhost:8102).',
    );
    expect((await runCli(['proxy', '--target', 'ftp://x'])).code).toBe(2);
  });
});
