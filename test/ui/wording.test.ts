import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeMode } from '../../main/serve/index.js';
import { finding } from '../../shared/checker/finding.js';
import type { Exchange } from '../../shared/checker/index.js';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../helpers/browser.js';
import { VIEWPORT } from '../helpers/desktop.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { themedScreenshot } from '../helpers/screenshots.js';
import { postgresTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait.js';

/**
 * Words on screen mean what they say: a findings cell names the worst severity and counts findings (never
 * "2 error" for an error and a warning); a filter key still being typed filters nothing instead of keeping the
 * previous filter's rows; one check run shows one timestamp format; a check report never names CLI flags.
 */

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!chromiumPath)('wording on screen', () => {
  let emulator: TestEmulator;
  let mirror: TestDatabase & { drop(): Promise<void> };
  let companion: Awaited<ReturnType<typeof startServeMode>>;
  let browser: Browser;
  let ui: Page;
  let project: string;
  const dataDir = postgresTempDir('wording-companion-');

  beforeAll(async () => {
    emulator = await startTestEmulator({ label: 'wording_ui' });
    mirror = await createTestDatabase('wording_mirror');
    companion = await startServeMode({ port: 0, reason: null, dataDir });
    project = (
      await companion.workspace.create({
        kind: 'connected',
        name: 'Wording',
        apiUrl: emulator.apiUrl,
        projectId: emulator.projectId,
        publishableClientKey: emulator.publishableClientKey,
        mirrorDatabaseUrl: mirror.url,
      })
    ).id;
    await waitUntil(
      () => companion.workspace.runtimeState(project),
      (state) => state.state === 'running',
      'the connected project to run',
      90_000,
    );
    browser = await launchChromium();
    ui = await browser.newPage({ viewport: VIEWPORT });
    await ui.goto(companion.url);
  });

  afterAll(async () => {
    await browser?.close();
    await companion?.close();
    await emulator?.stop();
    await mirror?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const exchange = (method: string, path: string): Exchange => ({
    id: randomUUID(),
    startedAt: Date.now(),
    durationMs: 4,
    request: { method, url: `${emulator.apiUrl}${path}`, headers: [], body: null },
    response: { status: 200, headers: [], body: null },
  });

  it('counts findings apart from the worst severity, and a key with no value filters nothing', async () => {
    const hub = companion.workspace.traffic(project);
    const post = exchange('POST', '/api/v1/auth/password/sign-in');
    hub.record({
      source: 'proxy',
      exchange: post,
      findings: [
        finding('token.project', {
          severity: 'error',
          identifier: null,
          message: 'Token belongs to another project.',
          expected: 'this project',
          actual: 'another',
          evidence: 'POST sign-in',
        }),
        finding('client.family', {
          severity: 'warning',
          identifier: null,
          message: 'Mixed header families.',
          expected: 'one family',
          actual: 'both',
          evidence: 'POST sign-in',
        }),
      ],
    });
    hub.record({ source: 'proxy', exchange: exchange('GET', '/api/v1/users/me'), findings: [] });

    await ui.evaluate(() => (location.hash = '#traffic'));
    const findings = ui.getByTestId('traffic-findings');
    await expect.poll(() => findings.count()).toBe(1);
    expect(await findings.textContent()).toBe('error +1');
    expect(await findings.getAttribute('title')).toBe('2 findings, the worst error');

    const filter = ui.getByRole('searchbox', { name: 'Filter exchanges' });
    const count = ui.getByTestId('traffic-count');
    await filter.fill('method:POST');
    await expect.poll(() => count.textContent()).toBe('1 of 2 exchanges');
    await filter.fill('method:');
    await expect.poll(() => count.textContent()).toBe('2 of 2 exchanges');
    expect(await ui.getByTestId('traffic-filter-message').textContent()).toBe(
      '"method:" needs a value, e.g. method:POST; it is left out until it has one.',
    );
    expect(await ui.getByRole('alert').count()).toBe(0);
    // A filter that cannot be applied shows no rows, not the last good filter's.
    await filter.fill('method:POST famly:old');
    await expect.poll(() => count.textContent()).toBe('0 of 2 exchanges');
    await filter.fill('');
    await expect.poll(() => count.textContent()).toBe('2 of 2 exchanges');
    await themedScreenshot(ui, 'traffic-findings');
  });

  it('shows one check run in one timestamp format and names no CLI flag', async () => {
    await ui.evaluate(() => (location.hash = '#compat'));
    await ui.getByRole('button', { name: 'Run the check' }).click();
    const reportTime = ui.getByTestId('report-time');
    await expect.poll(() => reportTime.count(), { timeout: 90_000 }).toBe(1);
    const runTime = ui.getByTestId('run-time').first();
    // The history lists when a run ended, the report when it started: both in the one format.
    const oneFormat = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
    expect(await reportTime.textContent()).toMatch(oneFormat);
    expect(await runTime.textContent()).toMatch(oneFormat);
    const screen = (await ui.locator('#main-content').textContent()) ?? '';
    // Without a secret server key some scenarios are not checked; the reason names the key, not a flag.
    expect(screen).toContain('secret server key');
    expect(screen).not.toMatch(/--[a-z][a-z-]+/);
    expect(screen).not.toMatch(/\b1 (errors|warnings)\b/);
  });
});
