import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../../helpers/browser.js';
import { type CompanionUnderTest, launchServeCompanion } from '../../helpers/desktop.js';
import { themedScreenshot } from '../../helpers/screenshots.js';

/**
 * Connect my project with garbage (http://127.0.0.1:1, project id abc, key x): each value is judged as it is typed,
 * Connect probes first and says why it would not work, and a project connected anyway never reads "running".
 */

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!chromiumPath)('Connect my project: health from real probes', () => {
  let browser: Browser;
  let companion: CompanionUnderTest;

  beforeAll(async () => {
    browser = await launchChromium();
    companion = await launchServeCompanion(browser);
  });

  afterAll(async () => {
    await companion?.close();
    await browser?.close();
  });

  it('judges values as typed, probes before connecting, and never calls a dead backend running', async () => {
    const { page } = companion;
    const form = page.getByTestId('connect-form');
    await form.getByLabel('Enter them by hand').check();
    await form.getByLabel('API URL').fill('http://127.0.0.1:1');
    await form.getByLabel('Project id').fill('abc');
    await form.getByLabel('Publishable client key').fill('x');
    const problems = form.getByTestId('field-problem');
    await expect.poll(() => problems.count()).toBe(2);
    expect(await problems.first().textContent()).toContain('A project id is a UUID');
    expect(await form.getByLabel('Project id').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByRole('button', { name: 'Connect project' }).isDisabled()).toBe(true);

    await form.getByLabel('Project id').fill(randomUUID());
    await expect.poll(() => problems.count()).toBe(1);
    await form.getByRole('button', { name: 'Connect project' }).click();
    const probe = form.getByTestId('connect-probe');
    await expect.poll(() => probe.textContent(), { timeout: 30_000 }).toContain('This would not work yet');
    expect(await probe.textContent()).toContain('Backend: unreachable');
    expect((await companion.call('projects.list', {})).projects).toEqual([]);
    await themedScreenshot(page, 'connect-probe');

    await form.getByRole('button', { name: 'Connect anyway' }).click();
    // The sidebar's pill (the app moves on to the monitor once connected).
    const state = page.getByTestId('runtime-state').first();
    await expect.poll(() => state.textContent(), { timeout: 60_000 }).toBe('backend: unreachable');
  }, 120_000);
});
