import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeMode } from '../../../main/serve/index.js';
import type { TrafficHub } from '../../../main/traffic/index.js';
import type { DevToolState } from '../../../overlay/state.js';
import { formatBearer, identifier } from '../../../shared/registry/index.js';
import { type OverlayDemo, startOverlayDemo } from '../../fixtures/overlay-demo/server.js';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../../helpers/browser.js';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { postgresTempDir } from '../../helpers/temp-dir.js';
import { waitUntil } from '../../helpers/wait.js';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

const EMAIL = 'overlay-demo@example.com';
const PASSWORD = 'overlay-demo-password-1';
const ACCESS_HEADER = identifier('header.access-token');
const REFRESH_DEFAULT = identifier('cookie.refresh-default');

declare global {
  interface Window {
    demo: {
      run(
        email: string,
        password: string,
      ): Promise<{ old: { me: { primary_email: string } }; fresh: { me: { primary_email: string } } }>;
    };
    HexclaveDevTool: { open(): void; close(): void; toggle(): void; getState(): DevToolState };
    StackDevTool: Window['HexclaveDevTool'];
  }
}

const state = (page: Page) => page.evaluate(() => window.HexclaveDevTool.getState());
const panel = (page: Page) => page.getByTestId('hexclave-devtool-panel');

describe.skipIf(!chromiumPath)('in-page dev tool over the demo app (script overlay, Chromium)', () => {
  let emulator: TestEmulator;
  let companion: Awaited<ReturnType<typeof startServeMode>>;
  let demo: OverlayDemo;
  let browser: Browser;
  let page: Page;
  let hub: TrafficHub;
  const dataDir = postgresTempDir('overlay-companion-');

  beforeAll(async () => {
    emulator = await startTestEmulator({ label: 'overlay_demo' });
    companion = await startServeMode({ port: 0, reason: null, dataDir });
    // The demo's backend is a connected project of the companion: the overlay's reports must land in its traffic.
    const project = await companion.workspace.create({
      kind: 'connected',
      apiUrl: emulator.apiUrl,
      projectId: emulator.projectId,
      publishableClientKey: emulator.publishableClientKey,
    });
    await waitUntil(
      () => companion.workspace.runtimeState(project.id),
      (runtime) => runtime.state === 'running',
      'the connected project to run',
      90_000,
    );
    hub = companion.workspace.traffic(project.id);
    demo = await startOverlayDemo({
      apiUrl: emulator.apiUrl,
      projectId: emulator.projectId,
      publishableClientKey: emulator.publishableClientKey,
      overlayScriptUrl: `${companion.origin}/overlay.js`,
    });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(demo.url);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await companion?.close();
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('observes old- and new-SDK traffic without touching it, and shows the user and cookie pairs', async () => {
    expect(await page.evaluate(() => window.HexclaveDevTool === window.StackDevTool)).toBe(true);
    const result = await page.evaluate(
      ([email, password]) => window.demo.run(email!, password!),
      [EMAIL, PASSWORD],
    );
    // The page read every body itself: observing cloned responses never consumed them.
    expect(result.old.me.primary_email).toBe(EMAIL);
    expect(result.fresh.me.primary_email).toBe(EMAIL);

    await expect.poll(async () => (await state(page)).exchanges.length).toBe(4);
    const seen = await state(page);
    expect(seen.sdk.family).toBe('mixed');
    expect(seen.exchanges.map((e) => e.family).sort()).toEqual(['new', 'new', 'old', 'old']);
    expect(seen.sdk.clientVersions).toEqual(
      expect.arrayContaining(['js @stackframe/js@2.8.102', 'js @stackframe/js@2.8.108']),
    );

    await page.evaluate(() => window.HexclaveDevTool.open());
    await expect.poll(() => panel(page).isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('hexclave-devtool-user-email').textContent()).toBe(EMAIL);
    if (process.env.OVERLAY_SCREENSHOT) await page.screenshot({ path: process.env.OVERLAY_SCREENSHOT });
    expect(await page.getByTestId('hexclave-devtool-issuer').textContent()).toBe('accepted');
    expect(await page.getByTestId('hexclave-devtool-user-expiry').textContent()).toMatch(/^expires in /);

    const refreshPair = page.locator('[data-testid=hexclave-devtool-cookie-pair][data-kind=refresh-default]');
    expect(await refreshPair.getAttribute('data-status')).toBe('mismatch');
    const refreshNames = [
      REFRESH_DEFAULT.old.replace('{projectId}', emulator.projectId),
      REFRESH_DEFAULT.new!.replace('{projectId}', emulator.projectId),
    ];
    for (const name of refreshNames) expect(await refreshPair.textContent()).toContain(name);
    expect(await page.getByTestId('hexclave-devtool-cookie-mismatch').first().textContent()).toContain(
      'two different sessions',
    );
    const findings = (await state(page)).snapshotFindings.map((f) => f.ruleId);
    expect(findings).toContain('hazard.split-sessions');
  });

  it('sends the exchanges to the companion, redacted, and links each one to its Traffic item', async () => {
    await expect.poll(() => hub.list().length).toBe(4);
    const items = hub.list();
    expect(items.every((item) => item.source === 'overlay' && item.pageUrl === demo.url)).toBe(true);
    expect(items.map((item) => item.attribution.family).sort()).toEqual(['new', 'new', 'old', 'old']);

    const me = items.find((item) => item.exchange.request.headers.some(([n]) => n === ACCESS_HEADER.old))!;
    const sentToken = me.exchange.request.headers.find(([n]) => n === ACCESS_HEADER.old)![1];
    expect(sentToken).toMatch(/\.signature-redacted$/); // claims readable, token unusable
    const signUp = items.find((item) => item.exchange.request.url.endsWith('/auth/password/sign-up'))!;
    expect(signUp.exchange.request.body).not.toContain(PASSWORD);
    expect(signUp.exchange.response?.body).toMatch(/"refresh_token":"redacted#[0-9a-f]{8}:\d+"/);

    await expect.poll(() => hub.pages.list().length).toBeGreaterThan(0);
    expect(hub.pages.get(demo.url)!.findings.map((f) => f.ruleId)).toContain('hazard.split-sessions');
    // No token the page holds reaches the companion whole: refresh tokens never, access tokens only unsigned.
    const jar = await page.evaluate(() => document.cookie);
    const secrets = [...decodeURIComponent(jar).matchAll(/"([\w-]{20,}(?:\.[\w-]+\.[\w-]+)?)"/g)].map(
      (m) => m[1]!,
    );
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    const received = JSON.stringify([hub.list(), hub.pages.list()]);
    for (const secret of secrets) expect(received).not.toContain(secret);

    await expect.poll(async () => (await state(page)).exchanges.every((e) => e.seq !== null)).toBe(true);
    const link = page.getByTestId('hexclave-devtool-open-in-companion').first();
    const newest = (await state(page)).exchanges[0]!;
    expect(await link.getAttribute('href')).toBe(`${companion.origin}/#traffic/${newest.seq}`);
    expect(hub.get(newest.seq!)?.exchange.request.url).toBe(newest.url);
  });

  it('shows the worst finding of an exchange on its row and on the trigger', async () => {
    // A call with `Bearer hexclave_…`, which servers on 2.8.102 silently ignore (hazard.bearer-hexclave-prefix).
    const bearer = formatBearer({ accessToken: null, refreshToken: 'rt' }, 'hexclave')!;
    await page.evaluate(
      ([url, authorization]) =>
        fetch(url!, { headers: { authorization: authorization! } }).then((r) => r.text()),
      [`${emulator.apiUrl}/api/v1/projects/current`, bearer],
    );
    await expect.poll(async () => (await state(page)).exchanges[0]?.worst).toBe('warning');
    const newest = page.getByTestId('hexclave-devtool-exchange').first();
    await expect.poll(() => newest.getAttribute('data-worst')).toBe('warning');
    expect(await newest.locator('[data-rule]').getAttribute('data-rule')).toBe(
      'hazard.bearer-hexclave-prefix',
    );
    expect(await page.getByTestId('hexclave-devtool-badge').getAttribute('data-worst')).toMatch(
      /warning|error/,
    );
  });

  it('opens and closes through both globals, the trigger and the keyboard, and keeps its state per origin', async () => {
    await page.evaluate(() => window.StackDevTool.close());
    await expect.poll(() => panel(page).isVisible()).toBe(false);
    await page.keyboard.press('Alt+Shift+KeyH');
    await expect.poll(() => panel(page).isVisible()).toBe(true);
    await page.getByTestId('hexclave-devtool-trigger').click();
    await expect.poll(() => panel(page).isVisible()).toBe(false);
    await page.evaluate(() => window.StackDevTool.toggle());
    await expect.poll(() => panel(page).isVisible()).toBe(true);

    const trigger = page.getByTestId('hexclave-devtool-trigger');
    const box = (await trigger.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + 220, box.y - 150, { steps: 8 });
    await page.mouse.up();
    const moved = (await trigger.boundingBox())!;
    expect(Math.round(moved.x - box.x)).toBe(200);
    expect(await panel(page).isVisible()).toBe(true); // a drag is not a click

    await page.reload();
    await expect.poll(() => panel(page).isVisible()).toBe(true);
    const after = (await page.getByTestId('hexclave-devtool-trigger').boundingBox())!;
    expect(Math.round(after.x)).toBe(Math.round(moved.x));
    const { names } = await state(page);
    expect(Object.keys(await page.evaluate(() => ({ ...localStorage })))).toEqual(
      expect.arrayContaining([names.stateKey, names.positionKey]),
    );
  });

  it('keeps its styles to itself in both directions', async () => {
    const panelStyle = await page.getByTestId('hexclave-devtool-panel').evaluate((el) => {
      const style = getComputedStyle(el.querySelector('h1')!);
      return {
        font: style.fontFamily,
        color: style.color,
        trigger: getComputedStyle(el.parentElement!.querySelector('button')!).display,
      };
    });
    expect(panelStyle.font).not.toContain('Comic Sans');
    expect(panelStyle.color).not.toBe('rgb(255, 0, 255)');
    expect(panelStyle.trigger).not.toBe('none');
    // The panel's own h1 rule (13px) never reaches the page's h1.
    expect(await page.locator('body > h1').evaluate((el) => getComputedStyle(el).fontSize)).toBe('32px');
  });

  it('shares the globals with the SDK dev tool and moves out of the way of its root', async () => {
    await page.evaluate(() => {
      const calls: string[] = [];
      Reflect.set(window, '__sdkCalls', calls);
      // What 2.8.108 does when its dev-tool module loads, then when it mounts.
      const sdk = {
        enable: () => calls.push('enable'),
        disable: () => calls.push('disable'),
        reset: () => calls.push('reset'),
      };
      Reflect.set(window, 'HexclaveDevTool', Reflect.set(window, 'StackDevTool', sdk) && sdk);
      for (
        let el = document.getElementById('__hexclave-dev-tool-root');
        el;
        el = document.getElementById('__hexclave-dev-tool-root')
      )
        el.remove();
      const root = document.createElement('div');
      root.id = '__hexclave-dev-tool-root';
      document.body.append(root);
    });
    await expect.poll(async () => (await state(page)).names.derived).toBe(true);
    const after = await state(page);
    expect(after.names.rootId).toBe('__hexclave-dev-tool-root--companion');
    expect(after.sdkDevTool.rootIds).toEqual(['__hexclave-dev-tool-root']);
    expect([...after.sdkDevTool.methods].sort()).toEqual(['disable', 'enable', 'reset']);
    await page.evaluate(() => {
      (window.StackDevTool as unknown as { enable(): void }).enable();
      (window.HexclaveDevTool as unknown as { reset(): void }).reset();
    });
    expect(await page.evaluate(() => Reflect.get(window, '__sdkCalls'))).toEqual(['enable', 'reset']);
    expect(await page.evaluate(() => window.HexclaveDevTool === window.StackDevTool)).toBe(true);
    await expect.poll(() => panel(page).isVisible()).toBe(true);
  });

  it('keeps working standalone when the companion goes away', async () => {
    await companion.close();
    await expect.poll(async () => (await state(page)).companion.status).toBe('standalone');
    await page.evaluate(([email, password]) => window.demo.run(`2-${email}`, password!), [EMAIL, PASSWORD]);
    await expect.poll(async () => (await state(page)).exchanges.length).toBe(4);
  });
});
