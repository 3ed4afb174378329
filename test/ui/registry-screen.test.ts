import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../helpers/browser.js';
import { type ServeProcess, startServeProcess } from '../helpers/serve-process.js';
import { postgresTempDir } from '../helpers/temp-dir.js';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!chromiumPath)('registry screen (serve mode, Chromium)', () => {
  let serve: ServeProcess;
  let browser: Browser;
  // Its own app-data folder: never the developer's projects.
  const home = postgresTempDir('registry-ui-');

  beforeAll(async () => {
    serve = await startServeProcess([], { HEXCLAVE_COMPANION_HOME: home });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('finds the hexclave twin and policy of a stack cookie as you type', async () => {
    const page = await browser.newPage();
    await page.goto(serve.url);
    // Without a project the app opens on its first-run screen; the registry is one click away.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Registry' }).click();
    await expect.poll(() => page.getByTestId('registry-row').count()).toBeGreaterThan(100);
    // The launch token is moved out of the address bar once read.
    expect(page.url()).not.toContain('token=');

    await page.getByRole('searchbox', { name: 'Search identifiers' }).fill('stack-access');
    const firstRow = page.getByTestId('registry-row').first();
    // Poll for the search's answer itself: the unfiltered list can also start with an access-token header.
    await expect.poll(() => firstRow.textContent()).toMatch(/hexclave-access.*read-new-first/);

    await firstRow.click();
    const detail = page.getByTestId('registry-detail');
    expect(await detail.textContent()).toContain('never deletes stack-access');

    await page.getByRole('searchbox', { name: 'Search identifiers' }).fill('zzz-nothing');
    await expect.poll(() => page.getByTestId('registry-empty').isVisible()).toBe(true);
    await page.close();
  });

  it('refuses to work without the launch token', async () => {
    const page = await browser.newPage();
    await page.goto(serve.origin);
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('Cannot reach the companion');
    await page.close();
  });
});
