import { StackClientApp as NewSdkApp, StackServerApp as NewSdkServerApp } from 'stack-sdk-new';
import { StackClientApp as OldSdkApp, StackServerApp as OldSdkServerApp } from 'stack-sdk-old';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../main/emulator/index.js';
import { type CaptureProxy, startCaptureProxy } from '../../../main/proxy/index.js';
import { secureRandomString } from '../../../shared/encoding.js';
import { requestHeaderName } from '../../../shared/registry/index.js';
import { startTestEmulator } from '../../helpers/emulator.js';
import { parseHttpMessage, rawRequest, startTcpTap, type TcpTap } from '../../helpers/tcp-tap.js';

let dual: RunningEmulator;
let legacy: RunningEmulator;
const running: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  [dual, legacy] = await Promise.all([
    startTestEmulator({ compat: 'dual' }),
    startTestEmulator({ compat: 'legacy' }),
  ]);
});

afterAll(async () => {
  for (const item of running.reverse()) await item.stop();
  await Promise.all([dual?.stop(), legacy?.stop()]);
});

async function proxyFor(target: string): Promise<CaptureProxy> {
  const proxy = await startCaptureProxy({ target });
  running.push(proxy);
  return proxy;
}

async function tapFor(target: string): Promise<TcpTap> {
  const tap = await startTcpTap(target);
  running.push(tap);
  return tap;
}

type Generation = 'old' | 'new';

/** What an app does with the SDK through the proxy: create a user (server), sign in, read it, refresh. */
async function sdkSession(generation: Generation, emu: RunningEmulator, baseUrl: string) {
  const common = {
    projectId: emu.projectId,
    publishableClientKey: emu.publishableClientKey,
    baseUrl,
    noAutomaticPrefetch: true,
  };
  const server = { ...common, secretServerKey: emu.secretServerKey, tokenStore: 'memory' as const };
  const client = { ...common, tokenStore: 'memory' as const };
  const withTokens = (refreshToken: string) => ({
    ...common,
    tokenStore: { accessToken: 'expired', refreshToken },
  });
  // One branch per package: their constructor types differ, so a union of them cannot be called.
  const sdk =
    generation === 'old'
      ? {
          server: new OldSdkServerApp(server),
          client: new OldSdkApp(client),
          resumed: (rt: string) => new OldSdkApp(withTokens(rt)),
        }
      : {
          server: new NewSdkServerApp(server),
          client: new NewSdkApp(client),
          resumed: (rt: string) => new NewSdkApp(withTokens(rt)),
        };
  const email = `proxy-${generation}-${secureRandomString(40)}@example.com`;
  const password = `Pw-${secureRandomString(60)}`;
  await sdk.server.createUser({ primaryEmail: email, password, primaryEmailAuthEnabled: true });
  const signedIn = await sdk.client.signInWithCredential({ email, password, noRedirect: true });
  if (signedIn.status !== 'ok') throw new Error(`sign-in failed: ${signedIn.error.message}`);
  const user = await sdk.client.getUser({ or: 'throw' });
  // A fresh app holding only the refresh token refreshes through POST /auth/oauth/token (no custom headers).
  const resumed = await sdk.resumed((await user.getRefreshToken())!).getUser({ or: 'throw' });
  return { email, user, resumed };
}

describe('capture proxy', () => {
  it('forwards requests and responses byte for byte, as a direct call would send them', async () => {
    const tap = await tapFor(dual.apiUrl);
    const proxy = await proxyFor(tap.url);
    const host = new URL(tap.url).host;
    const body = JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password-1' });
    const request = [
      'POST /api/v1/auth/password/sign-in HTTP/1.1',
      `Host: ${host}`,
      `X-Hexclave-Project-Id: ${dual.projectId}`,
      'X-Hexclave-Access-Type: client',
      `X-Hexclave-Publishable-Client-Key: ${dual.publishableClientKey}`,
      'X-Hexclave-Override-Error-Status: true',
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n');
    const direct = await rawRequest(tap.url, request);
    const proxied = await rawRequest(proxy.url, request);
    const [directConn, proxiedConn] = tap.connections;
    // What the backend received: identical bytes, Host included.
    expect(Buffer.concat(proxiedConn!.fromClient).toString('latin1')).toBe(
      Buffer.concat(directConn!.fromClient).toString('latin1'),
    );
    // What the client received through the proxy: exactly what the backend sent on that connection.
    const upstream = parseHttpMessage(Buffer.concat(proxiedConn!.fromServer));
    const received = parseHttpMessage(proxied);
    expect(received.head).toBe(upstream.head);
    expect(received.body.equals(upstream.body)).toBe(true);
    expect(parseHttpMessage(direct).body.toString()).toContain('EMAIL_PASSWORD_MISMATCH');
    await proxy.idle();
    expect(proxy.exchanges()).toHaveLength(1);
    expect(proxy.exchanges()[0]!.attribution.family).toBe('new');
  });

  it('attributes the published SDKs’ traffic to the right family, with no error against a dual backend', async () => {
    const proxy = await proxyFor(dual.apiUrl);
    const old = await sdkSession('old', dual, proxy.url);
    const fresh = await sdkSession('new', dual, proxy.url);
    expect(old.user.primaryEmail).toBe(old.email);
    expect(fresh.resumed.primaryEmail).toBe(fresh.email);
    await proxy.idle();
    const captured = proxy.exchanges();
    const oldVersion = requestHeaderName('header.client-version', 'stack');
    const newVersion = requestHeaderName('header.client-version', 'hexclave');
    for (const c of captured) {
      const names = c.exchange.request.headers.map(([n]) => n.toLowerCase());
      if (names.includes(oldVersion)) expect(c.attribution.family, c.exchange.request.url).toBe('old');
      if (names.includes(newVersion)) expect(c.attribution.family, c.exchange.request.url).toBe('new');
    }
    expect(captured.length).toBeGreaterThanOrEqual(12);
    const refreshes = captured.filter((c) => c.exchange.request.url.endsWith('/api/v1/auth/oauth/token'));
    expect(refreshes.map((c) => [c.attribution.family, c.attribution.source])).toEqual([
      ['old', 'session'],
      ['new', 'session'],
    ]);
    expect(captured.flatMap((c) => c.findings).filter((f) => f.severity === 'error')).toEqual([]);
    expect(
      captured.filter((c) => c.attribution.family === 'none').map((c) => c.exchange.request.url),
    ).toEqual([]);
  });

  it('records why the new SDK fails against a legacy backend', async () => {
    const proxy = await proxyFor(legacy.apiUrl);
    await expect(sdkSession('new', legacy, proxy.url)).rejects.toThrow();
    await proxy.idle();
    const findings = proxy.exchanges().flatMap((c) => c.findings);
    const ignored = findings.filter(
      (f) => f.ruleId === 'client.new-headers-ignored' || f.ruleId === 'actual-status.override-ignored',
    );
    expect(ignored.length).toBeGreaterThan(0);
    expect(ignored[0]!.identifier?.names?.[0]).toMatch(/^x-hexclave-/);
    const har = JSON.stringify(proxy.exportHar());
    expect(har).not.toContain(legacy.publishableClientKey);
    expect(JSON.stringify(proxy.exportHar({ unsafe: true }))).toContain(legacy.publishableClientKey);
  });
});
