import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanProject } from '../../main/scan/index.js';
import { startServeMode } from '../../main/serve/index.js';
import { VERDICT_KINDS } from '../../shared/scan/verdict.js';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../helpers/browser.js';
import { VIEWPORT } from '../helpers/desktop.js';
import { themedScreenshot } from '../helpers/screenshots.js';
import { postgresTempDir } from '../helpers/temp-dir.js';

/**
 * The Migrate screen scans the folder a project was connected with and shows what the CLI `scan` finds there:
 * the same counts per verdict, each finding at file:line:column with its twin and fix, and the deploy's SDKs.
 */

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

const FIXTURE = join(import.meta.dirname, '../fixtures/scan/projects/next-app');

describe.skipIf(!chromiumPath)('Migrate screen (serve mode, Chromium)', () => {
  let companion: Awaited<ReturnType<typeof startServeMode>>;
  let browser: Browser;
  let ui: Page;
  const dataDir = postgresTempDir('migrate-companion-');
  const appFolder = mkdtempSync(join(tmpdir(), 'migrate-app-'));

  beforeAll(async () => {
    cpSync(FIXTURE, appFolder, { recursive: true });
    companion = await startServeMode({ port: 0, reason: null, dataDir });
    // The scan needs only the folder; the backend URL is the one the fixture's .env expands to.
    await companion.workspace.create({
      kind: 'connected',
      name: 'Next app',
      folder: appFolder,
      apiUrl: 'http://localhost:8102',
    });
    browser = await launchChromium();
    ui = await browser.newPage({ viewport: VIEWPORT });
    await ui.goto(companion.url);
  });

  afterAll(async () => {
    await browser?.close();
    await companion?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(appFolder, { recursive: true, force: true });
  });

  it('shows the CLI scan’s counts and findings for the connected folder', async () => {
    const expected = await scanProject(appFolder);
    expect(expected.summary.findings).toBeGreaterThan(0);

    await ui.evaluate(() => (location.hash = '#migrate'));
    for (const kind of VERDICT_KINDS) {
      await expect
        .poll(() => ui.getByTestId(`migrate-count-${kind}`).textContent(), { timeout: 30_000 })
        .toContain(String(expected.summary.byVerdict[kind]));
    }
    const breaking = expected.findings.find((f) => f.verdict.kind === 'breaks') ?? expected.findings[0]!;
    const section = ui.getByTestId(`migrate-${breaking.verdict.kind}`);
    expect(await section.textContent()).toContain(`${breaking.file}:${breaking.line}:${breaking.column}`);
    expect(await ui.getByTestId('migrate-deploy').textContent()).toContain('@stackframe/stack');
    await themedScreenshot(ui, 'migrate');
  });
});
