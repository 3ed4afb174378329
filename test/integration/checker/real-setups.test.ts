import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StackClientApp as NewSdkApp } from 'stack-sdk-new';
import { StackClientApp as OldSdkApp } from 'stack-sdk-old';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureProxy } from '../../../main/proxy/index.js';
import { CheckReportSchema } from '../../../shared/checker/index.js';
import { secureRandomString } from '../../../shared/encoding.js';
import { runCli } from '../../helpers/cli.js';
import { apiFetch, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { startTcpTap, type TcpTap } from '../../helpers/tcp-tap.js';

/**
 * `check` as users run it: through a transparent pass-through, under another hostname, with wrong credentials,
 * against something that is not the API, and without a secret server key.
 */

let emulator: TestEmulator;
let tap: TcpTap;
let html: http.Server;
let htmlUrl: string;

beforeAll(async () => {
  emulator = await startTestEmulator({ compat: 'dual', label: 'real_setups' });
  tap = await startTcpTap(emulator.apiUrl);
  html = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>My app</title><h1>Welcome</h1>');
  });
  await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
  htmlUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await tap?.stop();
  await new Promise<void>((resolve) => (html ? html.close(() => resolve()) : resolve()));
  await emulator?.stop();
});

const credentials = (overrides: Partial<Record<'apiUrl' | 'projectId' | 'key', string>> = {}) => [
  '--api-url',
  overrides.apiUrl ?? emulator.apiUrl,
  '--project-id',
  overrides.projectId ?? emulator.projectId,
  '--publishable-client-key',
  overrides.key ?? emulator.publishableClientKey,
];
const withServerKey = () => ['--secret-server-key', emulator.secretServerKey];

/** The project's own setting, through the emulator's admin API (what the dashboard changes). */
async function setClientUserDeletion(allowed: boolean): Promise<void> {
  const res = await apiFetch(emulator, '/internal/projects/current', {
    access: 'admin',
    method: 'PATCH',
    body: { config: { client_user_deletion_enabled: allowed } },
  });
  expect(res.status).toBe(200);
}

async function throwawayUsersInProject(): Promise<string[]> {
  const res = await apiFetch(emulator, '/users?limit=200', { access: 'server' });
  const body = (await res.json()) as { items: { primary_email: string | null }[] };
  return body.items.map((u) => u.primary_email ?? '').filter((email) => email.startsWith('hexclave-check-'));
}

describe('check where the backend is reached under another origin than it signs with', () => {
  it('through a transparent TCP pass-through: dual, exit 0, the signing origin reported as info', async () => {
    const result = await runCli(['check', ...credentials({ apiUrl: tap.url }), ...withServerKey(), '--json']);
    expect(result.stderr).toContain('Backend class: dual');
    expect(result.code).toBe(0);
    const report = CheckReportSchema.parse(JSON.parse(result.stdout));
    expect(report.backendClass).toBe('dual');
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.issuerOrigins).toEqual([new URL(emulator.apiUrl).origin]);
    const origin = report.findings.find((f) => f.ruleId === 'token.issuer-origin');
    expect(origin?.severity).toBe('info');
    expect(origin?.message).toContain(new URL(emulator.apiUrl).origin);
    expect(report.answers.find((a) => a.id === 'tokens')?.answer).toBe('yes');
  });

  it('via localhost instead of 127.0.0.1: dual, exit 0, and the text report names the signing origin', async () => {
    const localhost = emulator.apiUrl.replace('127.0.0.1', 'localhost');
    const result = await runCli(['check', ...credentials({ apiUrl: localhost }), ...withServerKey()]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Backend: DUAL');
    expect(result.stdout).toContain(`signs its tokens with issuer origin ${new URL(emulator.apiUrl).origin}`);
  });
});

describe("the proxy's live analysis where the backend signs with another origin", () => {
  it.each([
    ['localhost', () => emulator.apiUrl.replace('127.0.0.1', 'localhost')],
    ['a transparent pass-through', () => tap.url],
  ])('via %s: the SDKs’ tokens verify, no error, the signing origin as info', async (_label, target) => {
    const proxy = await startCaptureProxy({ target: target() });
    try {
      const common = {
        projectId: emulator.projectId,
        publishableClientKey: emulator.publishableClientKey,
        baseUrl: proxy.url,
        tokenStore: 'memory' as const,
        noAutomaticPrefetch: true,
      };
      for (const app of [new OldSdkApp(common), new NewSdkApp(common)]) {
        const email = `proxy-origin-${secureRandomString(30)}@example.com`;
        const result = await app.signUpWithCredential({
          email,
          password: `Pw-${secureRandomString(40)}`,
          noRedirect: true,
          verificationCallbackUrl: 'http://localhost:3000/handler/email-verification',
        });
        if (result.status !== 'ok') throw new Error(`sign-up failed: ${result.error.message}`);
        expect((await app.getUser({ or: 'throw' })).primaryEmail).toBe(email);
      }
      await proxy.idle();
      const findings = proxy.exchanges().flatMap((c) => c.findings);
      expect(findings.filter((f) => f.severity === 'error' || f.severity === 'warning')).toEqual([]);
      // Tokens were seen and verified: the signature check ran (nothing "not checked") and the origin is named.
      expect(findings.filter((f) => f.severity === 'not-checked')).toEqual([]);
      const origin = findings.filter((f) => f.ruleId === 'token.issuer-origin');
      expect(origin.length).toBeGreaterThan(0);
      expect(
        origin.every((f) => f.severity === 'info' && f.message.includes(new URL(emulator.apiUrl).origin)),
      ).toBe(true);
    } finally {
      await proxy.stop();
    }
  });
});

describe('check that cannot judge the backend exits 2 with the cause and what to fix', () => {
  const lastLine = (stderr: string) => stderr.trim().split('\n').at(-1) ?? '';

  it('a wrong publishable client key', async () => {
    const result = await runCli(['check', ...credentials({ key: 'pck_wrongwrongwrongwrongwrong' })]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lastLine(result.stderr)).toMatch(
      /^error: Cannot check .*INVALID_PUBLISHABLE_CLIENT_KEY.*check --publishable-client-key/,
    );
    expect(result.stderr).not.toMatch(/broken|OAuth/i);
  });

  it('an unknown project id', async () => {
    const unknown = '0b5e7a4c-1f2d-4e3b-9a8c-7d6e5f4a3b2c';
    const result = await runCli(['check', ...credentials({ projectId: unknown }), '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lastLine(result.stderr)).toMatch(
      new RegExp(
        `^error: Cannot check .*has no project ${unknown} \\(CURRENT_PROJECT_NOT_FOUND\\): check --project-id`,
      ),
    );
  });

  it('a wrong secret server key stops the run before it creates anything', async () => {
    const before = await throwawayUsersInProject();
    const result = await runCli([
      'check',
      ...credentials(),
      '--secret-server-key',
      'ssk_wrongwrongwrongwrong',
    ]);
    expect(result.code).toBe(2);
    expect(lastLine(result.stderr)).toMatch(/INVALID_SECRET_SERVER_KEY.*check --secret-server-key/);
    expect(await throwawayUsersInProject()).toEqual(before);
  });

  it('a plain HTML server is not an API (not a refused preflight)', async () => {
    const result = await runCli(['check', ...credentials({ apiUrl: htmlUrl })]);
    expect(result.code).toBe(2);
    expect(lastLine(result.stderr)).toMatch(
      /^error: Cannot check .*does not answer like a Stack Auth \/ Hexclave API .*HTTP 200, text\/html.*Check --api-url/,
    );
    expect(result.stderr).not.toMatch(/preflight/i);
  });

  it('another JSON API is not the API either', async () => {
    const other = http.createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not Found' }));
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const result = await runCli(['check', ...credentials({ apiUrl: url })]);
      expect(result.code).toBe(2);
      expect(lastLine(result.stderr)).toMatch(
        /does not answer like a Stack Auth .*HTTP 404, application\/json/,
      );
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});

describe('check leaves nothing behind silently', () => {
  it('without a server key, on a project that lets users delete themselves: says so first, deletes every user', async () => {
    const before = await throwawayUsersInProject();
    const result = await runCli(['check', ...credentials()]);
    expect(result.code).toBe(0);
    const plan = result.stderr.split('\n').findIndex((l) => l.includes('each deletes itself at the end'));
    expect(plan).toBeGreaterThan(-1);
    expect(result.stdout).toContain('Left behind: nothing (3 throwaway user(s) created and deleted again).');
    expect(await throwawayUsersInProject()).toEqual(before);
  });

  it('without a server key, on a project that does not: creates nobody and says which scenarios were not checked', async () => {
    // Upstream's default: users may not delete themselves.
    await setClientUserDeletion(false);
    try {
      const before = await throwawayUsersInProject();
      const result = await runCli(['check', ...credentials(), '--json']);
      expect(result.stderr).toContain('This run creates no users');
      const report = CheckReportSchema.parse(JSON.parse(result.stdout));
      expect(report.throwawayUsers).toMatchObject({ plan: 'create-nothing', created: 0, left: [] });
      const signUp = report.scenarios.find((s) => s.id === 'sign-up:old')!;
      expect(signUp.status).toBe('skipped');
      expect(signUp.summary).toMatch(/^not checked — needs --secret-server-key to clean up/);
      expect(report.answers.find((a) => a.id === 'old-sdk-auth')?.answer).toBe('not checked');
      expect(await throwawayUsersInProject()).toEqual(before);
    } finally {
      await setClientUserDeletion(true);
    }
  });
});
