import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../main/package-root.js';
import { startServeMode } from '../../../main/serve/index.js';
import type { TrafficHub } from '../../../main/traffic/index.js';
import { type OverlayDemo, startOverlayDemo } from '../../fixtures/overlay-demo/server.js';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../../helpers/browser.js';
import { VIEWPORT } from '../../helpers/desktop.js';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { postgresTempDir } from '../../helpers/temp-dir.js';
import { waitUntil } from '../../helpers/wait.js';

/**
 * A real app page with the in-page dev tool, talking to the backend through the project's capture proxy: each
 * request is seen twice (proxy and page) and must be one Traffic row with both sources and one verdict.
 */

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

const SCREENSHOT_DIR = join(packageRoot(), 'docs', 'screenshots');

describe.skipIf(!chromiumPath)('Traffic: one row per request, seen by the proxy and the page', () => {
  let emulator: TestEmulator;
  let companion: Awaited<ReturnType<typeof startServeMode>>;
  let demo: OverlayDemo;
  let browser: Browser;
  let app: Page;
  let ui: Page;
  let hub: TrafficHub;
  const dataDir = postgresTempDir('one-verdict-companion-');

  beforeAll(async () => {
    emulator = await startTestEmulator({ label: 'one_verdict_ui' });
    companion = await startServeMode({ port: 0, reason: null, dataDir });
    const project = await companion.workspace.create({
      kind: 'connected',
      apiUrl: emulator.apiUrl,
      projectId: emulator.projectId,
      publishableClientKey: emulator.publishableClientKey,
    });
    const runtime = await waitUntil(
      () => companion.workspace.runtimeState(project.id),
      (state) => state.state === 'running',
      'the connected project to run',
      90_000,
    );
    hub = companion.workspace.traffic(project.id);
    // The app's SDK points at the capture proxy, and the page loads the dev tool: both see every request.
    demo = await startOverlayDemo({
      apiUrl: runtime.proxyUrl!,
      projectId: emulator.projectId,
      publishableClientKey: emulator.publishableClientKey,
      overlayScriptUrl: `${companion.origin}/overlay.js`,
    });
    browser = await launchChromium();
    app = await browser.newPage();
    await app.goto(demo.url);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await companion?.close();
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('merges the proxy’s and the page’s sightings into one row each, with the proxy’s valid signature', async () => {
    // window.demo is the fixture app (test/fixtures/overlay-demo/demo.js).
    await app.evaluate(() =>
      (window as unknown as { demo: { run(e: string, p: string): Promise<unknown> } }).demo.run(
        'one-verdict@example.com',
        'one-verdict-password-1',
      ),
    );
    // Four SDK calls; the proxy also forwards the browser's CORS preflights, which the page never sees.
    const calls = await waitUntil(
      () => hub.list().filter((row) => row.exchange.request.method !== 'OPTIONS'),
      (rows) => rows.length >= 4 && rows.every((row) => row.sources.length === 2),
      'four SDK calls, each seen by the proxy and the page',
    );
    expect(
      calls.map((row) => `${row.exchange.request.method} ${new URL(row.exchange.request.url).pathname}`),
    ).toEqual([
      'POST /api/v1/auth/password/sign-up',
      'GET /api/v1/users/me',
      'POST /api/v1/auth/password/sign-in',
      'GET /api/v1/users/me',
    ]);
    for (const row of calls) {
      expect(row.sources).toEqual(['proxy', 'overlay']);
      expect(row.pageUrl).toBe(demo.url);
      expect(row.findings.filter((f) => f.ruleId === 'token.signature')).toEqual([]);
      expect(row.worst).not.toBe('error');
    }

    // The page reaches the backend through the proxy's origin; its tokens name the backend's own: still accepted.
    await app.evaluate(() =>
      (window as unknown as { HexclaveDevTool: { open(): void } }).HexclaveDevTool.open(),
    );
    await expect.poll(() => app.getByTestId('hexclave-devtool-issuer').textContent()).toBe('accepted');

    ui = await browser.newPage({ viewport: VIEWPORT });
    await ui.goto(companion.url);
    const me = calls[3]!;
    await ui.evaluate((seq) => (location.hash = `#traffic/${seq}`), me.seq);
    await ui.getByRole('searchbox', { name: 'Filter exchanges' }).fill('-method:OPTIONS');
    const rows = ui.getByTestId('traffic-table-row');
    await expect.poll(() => rows.count()).toBe(4);
    expect(await ui.getByTestId('traffic-sources').allTextContents()).toEqual(
      Array(4).fill('proxy + overlay'),
    );
    const detail = ui.getByTestId('traffic-detail');
    await expect.poll(() => detail.getByTestId('traffic-sighting').count()).toBe(2);
    expect(await detail.getByTestId('traffic-sightings').textContent()).toMatch(
      /^Seen by the capture proxy .* and the in-page dev tool/,
    );
    expect(await detail.getByTestId('token-signature').allTextContents()).toEqual(['signature valid']);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      await ui.emulateMedia({ colorScheme });
      await ui.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
      );
      await ui.screenshot({ path: join(SCREENSHOT_DIR, `traffic-one-verdict-${colorScheme}.png`) });
    }
  });
});
