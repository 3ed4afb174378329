import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeMode } from '../../../main/serve/index.js';
import type { TrafficHub } from '../../../main/traffic/index.js';
import { toSummary } from '../../../main/traffic/present.js';
import type { DevToolState } from '../../../overlay/state.js';
import { parseTrafficFilter } from '../../../shared/traffic-filter.js';
import { type SdkApps, type SdkBackend, startSdkApps } from '../../fixtures/sdk-apps/server.js';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../../helpers/browser.js';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { postgresTempDir } from '../../helpers/temp-dir.js';
import { waitUntil } from '../../helpers/wait.js';

/**
 * The in-page dev tool inside small apps built on the real published SDKs (@stackframe/js 2.8.102 and 2.8.108,
 * cookie token store, bundled with esbuild), both on one 127.0.0.1 origin, in Chromium: what the panel says is
 * checked against what Playwright itself records (requests, cookie jar) and what the SDK itself answers.
 */

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots');
const EMAIL = 'real-sdk@example.com';
const PASSWORD = 'real-sdk-password-1';

interface SdkAppApi {
  signUp(email: string, password: string): Promise<string>;
  signIn(email: string, password: string): Promise<string>;
  email(): Promise<string | null>;
  signOut(redirectUrl: string): Promise<void>;
}

const app = (page: Page) => ({
  signUp: (email: string) =>
    page.evaluate(
      ([e, p]) => (window as unknown as { sdkApp: SdkAppApi }).sdkApp.signUp(e!, p!),
      [email, PASSWORD],
    ),
  signIn: (email: string) =>
    page.evaluate(
      ([e, p]) => (window as unknown as { sdkApp: SdkAppApi }).sdkApp.signIn(e!, p!),
      [email, PASSWORD],
    ),
  email: () => page.evaluate(() => (window as unknown as { sdkApp: SdkAppApi }).sdkApp.email()),
});

const state = (page: Page): Promise<DevToolState> =>
  page.evaluate(() =>
    (window as unknown as { HexclaveDevTool: { getState(): DevToolState } }).HexclaveDevTool.getState(),
  );

async function openPanel(page: Page): Promise<void> {
  await page.evaluate(() =>
    (window as unknown as { HexclaveDevTool: { open(): void } }).HexclaveDevTool.open(),
  );
  await eventually(() => page.getByTestId('hexclave-devtool-panel').isVisible()).toBe(true);
}

async function shot(page: Page, name: string): Promise<void> {
  await openPanel(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `overlay-${name}.png`) });
}

/** Backend requests as Playwright saw them (preflights aside): method and path. */
function recordRequests(page: Page, apiOrigin: () => string) {
  const seen: { method: string; path: string; failure: string | null }[] = [];
  const add = (request: import('playwright-core').Request, failure: string | null) => {
    const url = new URL(request.url());
    if (url.origin !== apiOrigin() || request.method() === 'OPTIONS') return;
    seen.push({ method: request.method(), path: url.pathname, failure });
  };
  page.on('requestfinished', (request) => add(request, null));
  page.on('requestfailed', (request) => add(request, request.failure()?.errorText ?? 'failed'));
  return seen;
}

/** Polls with a deadline that allows for a loaded 2-core machine (the reports cross a socket or a beacon). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 100 });

const cookieNames = async (context: BrowserContext) => (await context.cookies()).map((c) => c.name).sort();

describe.skipIf(!chromiumPath)('in-page dev tool on real SDK apps (2.8.102 and 2.8.108, Chromium)', () => {
  let dual: TestEmulator;
  let legacy: TestEmulator;
  let companion: Awaited<ReturnType<typeof startServeMode>>;
  let hub: TrafficHub;
  let proxyUrl: string;
  let apps: SdkApps;
  let browser: Browser;
  let context: BrowserContext;
  let oldPage: Page;
  let newPage: Page;
  const dataDir = postgresTempDir('overlay-real-sdk-');
  const backendOf = (emulator: TestEmulator, baseUrl = emulator.apiUrl): SdkBackend => ({
    baseUrl,
    projectId: emulator.projectId,
    publishableClientKey: emulator.publishableClientKey,
  });

  beforeAll(async () => {
    [dual, legacy] = await Promise.all([
      startTestEmulator({ label: 'overlay_real_dual' }),
      startTestEmulator({ label: 'overlay_real_legacy', compat: 'legacy' }),
    ]);
    companion = await startServeMode({ port: 0, reason: null, dataDir });
    const project = await companion.workspace.create({
      kind: 'connected',
      apiUrl: dual.apiUrl,
      projectId: dual.projectId,
      publishableClientKey: dual.publishableClientKey,
    });
    await waitUntil(
      () => companion.workspace.runtimeState(project.id),
      (runtime) => runtime.state === 'running',
      'the connected project to run',
      90_000,
    );
    hub = companion.workspace.traffic(project.id);
    // The connected project's capture proxy, in front of the dual emulator.
    proxyUrl = companion.workspace.runtimeState(project.id).proxyUrl!;
    apps = await startSdkApps({
      overlayScriptUrl: `${companion.origin}/overlay.js`,
      backend: backendOf(dual),
    });
    browser = await launchChromium();
    context = await browser.newContext();
  });

  afterAll(async () => {
    await browser?.close();
    await apps?.close();
    await companion?.close();
    await Promise.all([dual?.stop(), legacy?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('old SDK × dual: signed in as the new user from stack-* cookies, every request listed', async () => {
    oldPage = await context.newPage();
    const recorded = recordRequests(oldPage, () => new URL(dual.apiUrl).origin);
    await oldPage.goto(apps.url('old'));
    expect(await app(oldPage).signUp(EMAIL)).toBe('ok');
    expect(await app(oldPage).email()).toBe(EMAIL);

    await eventually(async () => (await state(oldPage)).headline.status).toBe('signed-in');
    const seen = await state(oldPage);
    expect(seen.headline.session!.generation.version).toBe('2.8.102');
    expect(seen.headline.user!.email).toBe(EMAIL);
    const jar = await cookieNames(context);
    expect(jar).toEqual(expect.arrayContaining(['stack-access', `stack-refresh-${dual.projectId}--default`]));
    expect(jar.some((name) => name.startsWith('hexclave-'))).toBe(false);
    expect(seen.cookiePairs.map((p) => p.status).sort()).toEqual(['stack-only', 'stack-only']);
    // The panel lists what Playwright saw go to the backend, no more and no less.
    await eventually(async () => (await state(oldPage)).exchanges.length).toBe(
      recorded.filter((r) => r.path.startsWith('/api/v1/')).length,
    );
    const listed = (await state(oldPage)).exchanges
      .map((e) => `${e.method} ${new URL(e.url).pathname}`)
      .sort();
    expect(listed).toEqual(recorded.map((r) => `${r.method} ${r.path}`).sort());
    expect(
      (await state(oldPage)).exchanges.every((e) => e.family === 'old' || e.attributedBy === 'session'),
    ).toBe(true);
    await shot(oldPage, 'old-sdk-dual');
    expect(await oldPage.getByTestId('hexclave-devtool-headline').textContent()).toContain(EMAIL);
    // An open 2.8.102 tab reacts to the migration below by deleting stack-access itself; it comes back afterwards.
    await oldPage.close();
  });

  it('new SDK on the same origin: reads the stack session, warns what its next write deletes, then migrates', async () => {
    newPage = await context.newPage();
    await newPage.goto(apps.url('new'));
    expect(await app(newPage).email()).toBe(EMAIL);
    await eventually(async () => (await state(newPage)).headline.pendingMigration?.deletes).toEqual([
      `stack-refresh-${dual.projectId}--default`,
    ]);
    const before = await state(newPage);
    expect(before.headline).toMatchObject({ status: 'signed-in' });
    expect(before.headline.session!.generation.version).toBe('2.8.108');
    await eventually(async () => (await state(newPage)).snapshotFindings.map((f) => f.ruleId)).toContain(
      'hazard.refresh-migration-pending',
    );
    await shot(newPage, 'new-sdk-before-migration');

    // A sign-in is a token write: 2.8.108 writes hexclave-* and deletes stack-refresh-*, never stack-access.
    expect(await app(newPage).signIn(EMAIL)).toBe('ok');
    const jar = await cookieNames(context);
    expect(jar).toContain(`hexclave-refresh-${dual.projectId}--default`);
    expect(jar).not.toContain(`stack-refresh-${dual.projectId}--default`);
    expect(jar).toContain('stack-access');
    await eventually(async () => (await state(newPage)).headline.pendingMigration).toBeNull();
    const after = await state(newPage);
    expect(after.headline.user!.email).toBe(EMAIL);
    expect(after.cookiePairs.find((p) => p.kind === 'access')!.status).toBe('stale');
    expect(after.cookiePairs.find((p) => p.kind === 'access')!.detail).toMatch(/issued \d+(m \d+)?s ago/);
    await shot(newPage, 'new-sdk-after-migration');
  });

  it('after the migration the old app is signed out, and its panel says so and why', async () => {
    oldPage = await context.newPage();
    await oldPage.goto(apps.url('old'));
    expect(await app(oldPage).email()).toBeNull(); // what the SDK itself says
    await eventually(async () => (await state(oldPage)).headline.status).toBe('signed-out');
    const seen = await state(oldPage);
    expect(seen.headline.session!.unreadable.map((u) => u.family)).toEqual(['hexclave']);
    expect(await oldPage.getByTestId('hexclave-devtool-unreadable').count()).toBe(1);
    await shot(oldPage, 'old-sdk-after-migration');
  });

  it('a wrapped 409 is shown as 409 with its HTTP 200, in the panel and in Traffic, and the filter finds it', async () => {
    expect(await app(newPage).signUp(EMAIL)).toMatch(/^error: /);
    await eventually(async () =>
      (await state(newPage)).exchanges.find((e) => e.url.endsWith('/auth/password/sign-up')),
    ).toMatchObject({ status: 200, actualStatus: 409 });
    await openPanel(newPage);
    await eventually(() =>
      newPage.locator('[data-testid=hexclave-devtool-exchange][data-status="409"]').count(),
    ).toBeGreaterThan(0);
    const parsed = parseTrafficFilter('status-code:409 method:POST');
    if (!parsed.ok) throw new Error(parsed.error);
    await eventually(() =>
      hub
        .list()
        .map(toSummary)
        .filter((s) => parsed.filter.matches(s))
        .map((s) => [s.status, s.actualStatus]),
    ).toContainEqual([200, 409]);
  });

  it('sign-out then the other app: the request before the navigation reaches Traffic, both apps signed out', async () => {
    // The SDK navigates away right after the sign-out request: the page's context goes with it.
    await Promise.all([
      newPage.waitForURL(/signed-out/),
      newPage
        .evaluate(() => (window as unknown as { sdkApp: SdkAppApi }).sdkApp.signOut('/new/?signed-out'))
        .catch(() => {}),
    ]);
    await eventually(() =>
      hub
        .list()
        .some(
          (i) => i.exchange.request.method === 'DELETE' && /sessions\/current/.test(i.exchange.request.url),
        ),
    ).toBe(true);
    expect(await cookieNames(context)).toEqual(['stack-access']);
    await eventually(async () => (await state(newPage)).headline.status).toBe('signed-out');
    await oldPage.reload();
    await eventually(async () => (await state(oldPage)).headline.status).toBe('signed-out');
    expect((await state(oldPage)).cookiePairs.find((p) => p.kind === 'access')!.status).toBe('stale');
    await shot(oldPage, 'old-sdk-after-sign-out');
  });

  it("through the companion's proxy: the same headline, and each request one Traffic row seen by proxy and page", async () => {
    apps.setBackend(backendOf(dual, proxyUrl));
    const page = await context.newPage();
    await page.goto(apps.url('new'));
    expect(await app(page).signIn(EMAIL)).toBe('ok');
    await eventually(async () => (await state(page)).headline.user?.email).toBe(EMAIL);
    expect((await state(page)).headline.status).toBe('signed-in');
    await eventually(() =>
      hub
        .list()
        .filter((i) => i.exchange.request.url.endsWith('/auth/password/sign-in'))
        .some((i) => i.sources.includes('proxy') && i.sources.includes('overlay')),
    ).toBe(true);
    await shot(page, 'new-sdk-through-proxy');
    await page.close();
  });

  it('new SDK × legacy backend: the CORS preflight refusal names the header and the fix', async () => {
    apps.setBackend(backendOf(legacy));
    const page = await context.newPage();
    const recorded = recordRequests(page, () => new URL(legacy.apiUrl).origin);
    await page.goto(apps.url('new'));
    expect(await app(page).signUp('legacy@example.com')).toMatch(/^threw: /);
    expect(recorded.some((r) => r.failure !== null)).toBe(true);
    await eventually(async () =>
      (await state(page)).exchanges.find((e) => e.worstFinding?.ruleId === 'cors.preflight-refused'),
    ).toMatchObject({ failure: 'network', worst: 'error' });
    const row = (await state(page)).exchanges.find(
      (e) => e.worstFinding?.ruleId === 'cors.preflight-refused',
    )!;
    expect(row.worstFinding!.message).toMatch(/x-hexclave-/);
    expect(row.worstFinding!.explanation).toMatch(
      /Deploy the compatibility layer .* pin @stackframe\/js to 2\.8\.102/,
    );
    await openPanel(page);
    await eventually(() => page.getByTestId('hexclave-devtool-badge').getAttribute('data-worst')).toBe(
      'error',
    );
    await shot(page, 'new-sdk-legacy-backend');
    await page.close();
  });
});
