import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OverlayReportSchema } from '../../../main/overlay-host/schema.js';
import { curlCommand, TrafficHub, toDetail } from '../../../main/traffic/index.js';
import type { Exchange } from '../../../shared/checker/index.js';

/**
 * Attack (issue 12 item 3): a page reports a crafted exchange; the developer copies it as cURL and pastes it into
 * a shell. Whatever the method, path, header names and values or body, the shell must run curl with exactly those
 * bytes as arguments and run nothing else. Checked with real bash and a `curl` stub on PATH that records its argv.
 */

let dir: string;
let marker: string;
let argvFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hexclave-curl-attack-'));
  marker = join(dir, 'pwned');
  argvFile = join(dir, 'argv');
  const stub = join(dir, 'bin', 'curl');
  spawnSync('mkdir', ['-p', join(dir, 'bin')]);
  // Records each argument NUL-terminated, so newlines and quotes inside arguments survive.
  writeFileSync(
    stub,
    `#!/bin/bash\nfor a in "$@"; do printf '%s\\0' "$a"; done > ${JSON.stringify(argvFile)}\n`,
  );
  chmodSync(stub, 0o755);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Paste `command` into bash (as a script on stdin, the way a terminal feeds it) with the stub curl first on PATH. */
function paste(command: string, env: Record<string, string> = {}) {
  rmSync(argvFile, { force: true });
  const result = spawnSync('bash', ['--noprofile', '--norc', '-s'], {
    input: `${command}\n`,
    env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, HOME: dir, ...env },
    encoding: 'utf8',
  });
  const argv = existsSync(argvFile) ? readFileSync(argvFile, 'utf8').split('\0').slice(0, -1) : null;
  return { status: result.status, stderr: result.stderr, argv };
}

const hostile = (touch: string) => [
  `$(touch ${touch})`,
  `\`touch ${touch}\``,
  `'; touch ${touch}; '`,
  `"; touch ${touch}; "`,
  `\n touch ${touch}\n`,
  `\\'$(touch ${touch})\\'`,
  `\r\x1b[201~touch ${touch}\n`,
  `\u202e$(touch ${touch})`,
];

function exchange(parts: {
  method?: string;
  url?: string;
  headers?: [string, string][];
  body?: string;
}): Exchange {
  return {
    id: 'x',
    startedAt: 0,
    durationMs: 1,
    request: {
      method: parts.method ?? 'POST',
      url: parts.url ?? 'http://localhost:8102/api/v1/users',
      headers: parts.headers ?? [],
      body: parts.body ?? null,
    },
    response: null,
  };
}

describe('Copy as cURL against a hostile exchange', () => {
  it('passes every hostile method, path, header and body to curl as literal bytes and runs nothing else', () => {
    for (const payload of hostile(marker)) {
      const sent = exchange({
        method: `GET${payload}`,
        url: `http://localhost:8102/api/v1/${encodeURIComponent('x')}?q=${payload}`,
        headers: [
          [`x-evil${payload}`, `v${payload}`],
          ['content-type', 'text/plain'],
        ],
        body: `body${payload}`,
      });
      for (const withSecrets of [false, true]) {
        const { command } = curlCommand(sent, { withSecrets });
        const run = paste(command);
        expect(existsSync(marker), `pasting ran a command: ${command}`).toBe(false);
        expect(run.status, run.stderr).toBe(0);
        expect(run.argv).toEqual([
          '-X',
          `GET${payload}`,
          ...(run.argv![2] === '--url' ? ['--url'] : []),
          expect.stringContaining('http://localhost:8102/api/v1/x?q='),
          '-H',
          `x-evil${payload}: v${payload}`,
          '-H',
          'content-type: text/plain',
          '--data-raw',
          `body${payload}`,
        ]);
      }
    }
  });

  it('gives the Traffic detail pane a command that is safe to paste (the UI’s Copy as cURL)', async () => {
    const hub = new TrafficHub(() => ({ expectedMode: 'unknown' }));
    const item = hub.record({
      source: 'overlay',
      exchange: exchange({ method: `GET$(touch ${marker})`, headers: [['x', `\`touch ${marker}\``]] }),
    });
    const detail = await toDetail(item, { projectId: null, apiBaseUrls: [], jwks: null });
    const run = paste(detail.curl);
    expect(existsSync(marker), detail.curl).toBe(false);
    expect(run.argv?.slice(0, 2)).toEqual(['-X', `GET$(touch ${marker})`]);
  });

  it('treats a URL that is not http(s) as a URL, never as a curl option', () => {
    const { command } = curlCommand(exchange({ url: `-o${marker}` }));
    const run = paste(command);
    expect(run.argv).toContain('--url');
    expect(run.argv![run.argv!.indexOf('--url') + 1]).toBe(`-o${marker}`);
  });

  it('leaves secrets out by default and names the shell variables the command needs', () => {
    const sent = exchange({
      url: 'http://localhost:8102/api/v1/auth/oauth/token?code=the-oauth-code&keep=1',
      headers: [
        ['x-hexclave-secret-server-key', 'ssk_plantedsecretserverkey0123456789'],
        ['x-stack-access-token', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl'],
        ['authorization', 'Bearer planted-bearer'],
        ['content-type', 'application/json'],
      ],
      body: JSON.stringify({ email: 'a@example.com', password: "pl'anted $(pw)" }),
    });
    const redacted = curlCommand(sent);
    for (const secret of [
      'plantedsecretserverkey',
      'c2lnbmF0dXJl',
      'planted-bearer',
      "pl'anted",
      'the-oauth-code',
    ])
      expect(redacted.command).not.toContain(secret);
    expect(redacted.needs).toEqual([
      'CODE',
      'HEXCLAVE_SECRET_SERVER_KEY',
      'ACCESS_TOKEN',
      'AUTHORIZATION',
      'PASSWORD',
    ]);

    // Pasted as is, the shell refuses to run it and says which variable is missing.
    const bare = paste(redacted.command);
    expect(bare.argv).toBeNull();
    expect(bare.stderr).toMatch(/CODE: redacted in this copy, export it first or use Copy with secrets/);

    // With the variables exported, curl gets the real request.
    const env = {
      CODE: 'the-oauth-code',
      HEXCLAVE_SECRET_SERVER_KEY: 'ssk_plantedsecretserverkey0123456789',
      ACCESS_TOKEN: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl',
      AUTHORIZATION: 'planted-bearer',
      PASSWORD: "pl'anted $(pw)",
    };
    const exported = paste(redacted.command, env);
    const verbatim = paste(curlCommand(sent, { withSecrets: true }).command);
    expect(exported.argv).toEqual(verbatim.argv);
    expect(verbatim.argv).toContain('x-hexclave-secret-server-key: ssk_plantedsecretserverkey0123456789');
    expect(verbatim.argv).toContain(sent.request.body);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('overlay ingest', () => {
  it('accepts only RFC 9110 token characters as a method', () => {
    const report = (method: string) => ({
      type: 'exchange',
      pageUrl: 'http://localhost:3000/',
      exchange: {
        id: 'x',
        startedAt: 0,
        durationMs: 1,
        request: { method, url: 'http://localhost:8102/api/v1/users/me', headers: [] },
        response: null,
      },
      attribution: { family: 'none', source: 'none', clientVersion: null },
      findings: [],
    });
    // Backquote, quote, `|` and `&` are token characters too: quoting is what keeps them out of the shell.
    for (const method of ['GET', 'POST', 'PATCH', 'M-SEARCH', "G'|&", '`id`'])
      expect(OverlayReportSchema.safeParse(report(method)).success, method).toBe(true);
    for (const method of ['$(id)', 'GET /', 'GE\nT', 'A(B)', '', 'X'.repeat(17), 'GET"', 'GET;'])
      expect(OverlayReportSchema.safeParse(report(method)).success, JSON.stringify(method)).toBe(false);
  });

  it('refuses header names that are not tokens and values that carry CR, LF or NUL', () => {
    const report = (headers: [string, string][]) => ({
      type: 'exchange',
      pageUrl: 'http://localhost:3000/',
      exchange: {
        id: 'x',
        startedAt: 0,
        durationMs: 1,
        request: { method: 'GET', url: 'http://localhost:8102/api/v1/users/me', headers },
        response: null,
      },
      attribution: { family: 'none', source: 'none', clientVersion: null },
      findings: [],
    });
    expect(OverlayReportSchema.safeParse(report([['x-stack-project-id', 'a b; "c" $(d)']])).success).toBe(
      true,
    );
    for (const pair of [
      ['x-a', 'v\r\nx-injected: 1'],
      ['x-a', 'v\nw'],
      ['x-a', 'v\0'],
      ['x a', 'v'],
      ['x:a', 'v'],
      ['', 'v'],
    ] as [string, string][])
      expect(OverlayReportSchema.safeParse(report([pair])).success, JSON.stringify(pair)).toBe(false);
  });
});
