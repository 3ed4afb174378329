import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import { waitUntil } from '../../helpers/wait.js';

/**
 * Attack (issue 12 item 5): secrets travel through `proxy` in query parameters, headers and bodies. No output mode
 * may print them — text lines, `--json` events, the HAR — and a HAR that keeps them (`--har-unsafe`) is 0600.
 */

const planted = (name: string) => `planted-${name}-${randomBytes(6).toString('hex')}`;
const SECRETS = {
  accessToken: planted('access-token'),
  refreshToken: planted('refresh-token'),
  password: planted('password'),
  code: planted('code'),
  secretServerKey: `ssk_${randomBytes(20).toString('hex')}`,
  clientSecret: planted('client-secret'),
  headerKey: `ssk_${randomBytes(20).toString('hex')}`,
  headerToken: planted('header-token'),
  bearer: planted('bearer'),
  cookie: planted('cookie'),
  bodyPassword: planted('body-password'),
  responseToken: planted('response-token'),
  redirectCode: planted('redirect-code'),
};

let target: Server;
let targetUrl: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hexclave-proxy-secrets-'));
  target = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json',
        location: `http://localhost:3000/callback?code=${SECRETS.redirectCode}&state=s`,
      });
      res.end(JSON.stringify({ access_token: SECRETS.responseToken, user_id: 'u1' }));
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}`;
});

afterAll(() => {
  target.close();
  rmSync(dir, { recursive: true, force: true });
});

function startProxy(args: string[]): {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [CLI, 'proxy', '--target', targetUrl, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, out: () => out, exit };
}

async function sendSecrets(proxyUrl: string): Promise<void> {
  const query = new URLSearchParams({
    access_token: SECRETS.accessToken,
    refresh_token: SECRETS.refreshToken,
    password: SECRETS.password,
    code: SECRETS.code,
    secret_server_key: SECRETS.secretServerKey,
    client_secret: SECRETS.clientSecret,
    keep: 'visible',
  });
  const res = await fetch(`${proxyUrl}/api/v1/auth/oauth/token?${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-stack-secret-server-key': SECRETS.headerKey,
      'x-hexclave-access-token': SECRETS.headerToken,
      authorization: `Bearer ${SECRETS.bearer}`,
      cookie: `stack-refresh-abc=${SECRETS.cookie}`,
    },
    body: JSON.stringify({ email: 'a@example.com', password: SECRETS.bodyPassword }),
    redirect: 'manual',
  });
  await res.text();
}

function expectNoSecret(text: string, where: string): void {
  for (const [name, value] of Object.entries(SECRETS))
    expect(text.includes(value), `${where} prints the planted ${name}`).toBe(false);
}

describe('proxy never prints a planted secret', () => {
  it.each([
    ['--json', ['--json']],
    ['text', []],
  ])('%s output and its HAR are redacted; the HAR is 0600', async (_mode, flags) => {
    const har = join(dir, `proxy-${flags.join('') || 'text'}.har`);
    writeFileSync(har, 'old', { mode: 0o644 });
    const proxy = startProxy([...flags, '--har', har]);
    const ready = await waitUntil(
      () => /(http:\/\/127\.0\.0\.1:\d+)/.exec(proxy.out())?.[1] ?? null,
      (url) => url !== null,
      'the proxy URL',
    );
    await sendSecrets(ready!);
    await waitUntil(proxy.out, (out) => out.includes('/api/v1/auth/oauth/token'), 'the exchange line');
    proxy.child.kill('SIGINT');
    expect(await proxy.exit).toBe(0);
    expectNoSecret(proxy.out(), `proxy ${flags.join(' ') || '(text)'}`);
    // Only the secrets go: the rest of the URL is still there to read.
    if (flags.includes('--json')) expect(proxy.out()).toContain('keep=visible');
    const written = readFileSync(har, 'utf8');
    expect(JSON.parse(written).log.entries).toHaveLength(1);
    expectNoSecret(written, 'the HAR');
    expect(statSync(har).mode & 0o777).toBe(0o600);
  });

  it('writes --har-unsafe files 0600 (they keep every secret)', async () => {
    const har = join(dir, 'unsafe.har');
    const proxy = startProxy(['--json', '--har', har, '--har-unsafe']);
    const ready = await waitUntil(
      () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(proxy.out())?.[1] ?? null,
      (url) => url !== null,
      'the ready event',
    );
    await sendSecrets(ready!);
    await waitUntil(proxy.out, (out) => out.includes('"exchange"'), 'the exchange event');
    proxy.child.kill('SIGTERM');
    expect(await proxy.exit).toBe(0);
    expectNoSecret(proxy.out(), 'proxy --json --har-unsafe stdout');
    expect(readFileSync(har, 'utf8')).toContain(SECRETS.headerKey);
    expect(statSync(har).mode & 0o777).toBe(0o600);
  });
});
