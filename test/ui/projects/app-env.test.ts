import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeMode } from '../../../main/serve/index.js';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../../helpers/browser.js';
import { VIEWPORT } from '../../helpers/desktop.js';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { themedScreenshot } from '../../helpers/screenshots.js';
import { postgresTempDir } from '../../helpers/temp-dir.js';
import { waitUntil } from '../../helpers/wait.js';

/**
 * A project connected from its app folder: the Projects screen shows the `.env` the app needs (project id,
 * publishable key, API URL through the capture proxy) under both STACK_ and HEXCLAVE_ names with copy buttons,
 * and says why the secret server key is not set in the folder's own words — nobody has to open projects.json.
 */

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!chromiumPath)('Projects: what the app needs, on screen', () => {
  let emulator: TestEmulator;
  let companion: Awaited<ReturnType<typeof startServeMode>>;
  let browser: Browser;
  let ui: Page;
  let proxyUrl: string;
  const dataDir = postgresTempDir('app-env-companion-');
  const appFolder = mkdtempSync(join(tmpdir(), 'app-env-folder-'));

  beforeAll(async () => {
    emulator = await startTestEmulator({ label: 'app_env_ui' });
    // Old names only, and an empty HEXCLAVE_ secret line that masks the STACK_ one (the SDK reads it with ??).
    writeFileSync(
      join(appFolder, '.env.local'),
      [
        `NEXT_PUBLIC_STACK_PROJECT_ID=${emulator.projectId}`,
        `NEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY=${emulator.publishableClientKey}`,
        `NEXT_PUBLIC_STACK_API_URL=${emulator.apiUrl}`,
        'HEXCLAVE_SECRET_SERVER_KEY=',
        'STACK_SECRET_SERVER_KEY=ssk_masked_by_the_empty_line',
        '',
      ].join('\n'),
    );
    companion = await startServeMode({ port: 0, reason: null, dataDir });
    const project = await companion.workspace.create({
      kind: 'connected',
      name: 'My app',
      folder: appFolder,
    });
    const runtime = await waitUntil(
      () => companion.workspace.runtimeState(project.id),
      (state) => state.state === 'running' && state.proxyUrl !== null,
      'the connected project to run',
      90_000,
    );
    proxyUrl = runtime.proxyUrl!;
    browser = await launchChromium();
    ui = await browser.newPage({ viewport: VIEWPORT });
    await ui.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await ui.goto(companion.url);
  });

  afterAll(async () => {
    await browser?.close();
    await companion?.close();
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(appFolder, { recursive: true, force: true });
  });

  it('shows the .env with both names, the proxy as API URL, copy buttons and why the secret key is not set', async () => {
    await ui.evaluate(() => (location.hash = '#projects'));
    const card = ui.getByTestId('project-card').filter({ hasText: 'My app' });
    const panel = card.getByTestId('app-env');
    await panel.getByText('Your app’s .env').click();
    const rows = panel.getByTestId('app-env-variable');
    await expect.poll(() => rows.count()).toBe(6);
    const names = await rows.locator('th').allTextContents();
    expect(names).toEqual([
      'NEXT_PUBLIC_HEXCLAVE_PROJECT_ID',
      'NEXT_PUBLIC_STACK_PROJECT_ID',
      'NEXT_PUBLIC_HEXCLAVE_PUBLISHABLE_CLIENT_KEY',
      'NEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY',
      'NEXT_PUBLIC_HEXCLAVE_API_URL',
      'NEXT_PUBLIC_STACK_API_URL',
    ]);
    expect(await rows.getByTestId('app-env-value').allTextContents()).toEqual([
      emulator.projectId,
      emulator.projectId,
      emulator.publishableClientKey,
      emulator.publishableClientKey,
      proxyUrl,
      proxyUrl,
    ]);
    const reasons = await panel.getByTestId('app-env-secret-reason').allTextContents();
    expect(reasons[0]).toContain(
      'HEXCLAVE_SECRET_SERVER_KEY is set but empty in .env.local; @stackframe/js reads it with ?? and so ignores STACK_SECRET_SERVER_KEY.',
    );

    // One row's button copies one line; "Copy .env" copies the whole file, with no secret in it.
    await rows.nth(2).getByRole('button', { name: 'Copy' }).click();
    await expect
      .poll(() => ui.evaluate(() => navigator.clipboard.readText()))
      .toBe(`NEXT_PUBLIC_HEXCLAVE_PUBLISHABLE_CLIENT_KEY=${emulator.publishableClientKey}`);
    await panel.getByTestId('app-env-copy').click();
    await expect
      .poll(() => ui.evaluate(() => navigator.clipboard.readText()))
      .toContain(`NEXT_PUBLIC_STACK_API_URL=${proxyUrl}\n`);
    const dotenv = await ui.evaluate(() => navigator.clipboard.readText());
    expect(dotenv).toContain(`NEXT_PUBLIC_HEXCLAVE_PROJECT_ID=${emulator.projectId}\n`);
    expect(dotenv).not.toContain('ssk_masked_by_the_empty_line');
    expect(await panel.getByTestId('app-env-dotenv').textContent()).toBe(dotenv);

    await panel.scrollIntoViewIfNeeded();
    await themedScreenshot(ui, 'projects-app-env', { keepScroll: true });
  });
});
