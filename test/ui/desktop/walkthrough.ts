import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageRoot } from '../../../main/package-root.js';
import { type Family, requestHeaderName } from '../../../shared/registry/index.js';
import type { CompanionUnderTest } from '../../helpers/desktop.js';

/**
 * The first-run walk a new user takes, end to end on one companion and one emulator project (each step builds on
 * the previous one): emulator in one click → users in the monitor and the mirror → a `dual` verdict → the fusebox
 * holds changes back and lets them drain → traffic through the proxy, filtered. Run by serve.test.ts (Chromium)
 * and electron.test.ts (the desktop app) alike.
 */

const SCREENSHOT_DIR = join(packageRoot(), 'docs', 'screenshots');
const THEMES = ['light', 'dark'] as const;
const PASSWORD = 'correct-horse-battery-staple-7';

export interface WalkthroughOptions {
  readonly launch: () => Promise<CompanionUnderTest>;
  /** Write docs/screenshots/<screen>-<theme>.png (one mode does, so the two never race). */
  readonly screenshots: boolean;
}

async function screenshot(page: Page, name: string, enabled: boolean, ready: () => Promise<void>) {
  if (!enabled) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const colorScheme of THEMES) {
    await page.emulateMedia({ colorScheme });
    await ready();
    await page.evaluate(() => document.getElementById('main-content')?.scrollTo(0, 0));
    // Let uPlot and the CSS transitions settle on the new palette.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const go = (page: Page, screen: string) =>
  page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: screen }).click();

const numberIn = async (page: Page, selector: string) =>
  Number(((await page.locator(selector).first().textContent()) ?? '').replace(/[^\d]/g, '') || Number.NaN);

export function companionWalkthrough({ launch, screenshots }: WalkthroughOptions) {
  let companion: CompanionUnderTest;
  let page: Page;

  const project = async () => {
    const { projects } = await companion.call('projects.list', {});
    expect(projects).toHaveLength(1);
    return projects[0]!;
  };

  /** What the old (x-stack-*) or new (x-hexclave-*) SDK sends to sign up, through the project's capture proxy. */
  const sendThroughProxy = async (family: Family, path: string, body: unknown) => {
    const { projectId, publishableClientKey, runtime } = await project();
    const header = (id: string) => requestHeaderName(`header.${id}`, family);
    return fetch(`${runtime.proxyUrl}/api/v1${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [header('project-id')]: projectId!,
        [header('access-type')]: 'client',
        [header('publishable-client-key')]: publishableClientKey!,
      },
      body: JSON.stringify(body),
    });
  };
  const signUp = async (family: Family, email: string) => {
    const response = await sendThroughProxy(family, '/auth/password/sign-up', { email, password: PASSWORD });
    expect(response.status, await response.clone().text()).toBe(200);
  };

  beforeAll(async () => {
    companion = await launch();
    page = companion.page;
  }, 120_000);

  afterAll(async () => {
    await companion?.close();
  });

  it('opens on the first-run screen with both ways in', async () => {
    await expect.poll(() => page.getByTestId('first-run').isVisible()).toBe(true);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Welcome to Hexclave Companion' }).isVisible())
      .toBe(true);
    expect(await page.getByRole('button', { name: 'Start the local emulator' }).isVisible()).toBe(true);
    expect(await page.getByRole('form', { name: 'Connect my project' }).isVisible()).toBe(true);

    await screenshot(page, 'first-run', screenshots, async () => {});

    // Bad input is refused with the reason, and no project appears.
    await page.getByRole('textbox', { name: 'Project folder' }).fill('/nonexistent/folder');
    await page.getByRole('button', { name: 'Connect project' }).click();
    await expect
      .poll(() => page.getByRole('form', { name: 'Connect my project' }).getByRole('alert').textContent())
      .toContain('/nonexistent/folder');
    expect((await companion.call('projects.list', {})).projects).toHaveLength(0);
    await page.getByRole('textbox', { name: 'Project folder' }).fill('');
  });

  it('starts the emulator in one click and shows its users arriving in the sync monitor', async () => {
    await page.getByRole('button', { name: 'Start the local emulator' }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#sync');
    const usersApplied = '[data-mapping="users"] [data-testid="mapping-rows-applied"]';
    await expect.poll(() => numberIn(page, usersApplied), { timeout: 90_000 }).toBeGreaterThanOrEqual(25);
    await expect
      .poll(() => numberIn(page, '[data-testid="backlog-rows"] .stat-value'), { timeout: 30_000 })
      .toBe(0);
    expect(await page.getByTestId('source-line').textContent()).toContain('triggers');
    // The project shows in plain words where the SDK's traffic goes.
    await go(page, 'Projects');
    expect(await page.getByTestId('proxy-url').textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await page.getByTestId('project-card').textContent()).toContain("Point your SDK's baseUrl here");
    expect(await page.getByTestId('project-card').textContent()).toContain('secret server key: set');
    // Without an OS keychain (serve mode) the user is told where the keys live and what protects them.
    const { secretStore } = await companion.call('projects.list', {});
    if (secretStore.kind === 'file') {
      expect(await page.getByTestId('secret-store-warning').textContent()).toMatch(/secrets\.json.*0600/);
    }
    // "Open my app": the desktop app opens a wrapped window; a browser gets the overlay's script tag instead.
    await page.getByRole('button', { name: 'Open my app' }).click();
    await page.getByTestId('open-app-result').waitFor();
    const openResult = (await page.getByTestId('open-app-result').textContent()) ?? '';
    expect(openResult).toMatch(
      /Opened http:\/\/localhost:3000|<script src="http:\/\/127\.0\.0\.1:\d+\/overlay\.js"><\/script>/,
    );
    await screenshot(page, 'projects', screenshots, async () => {});
    await go(page, 'Sync monitor');
    await screenshot(page, 'sync', screenshots, () => page.getByTestId('backfill').waitFor());
  }, 120_000);

  it('shows the mirrored users, searchable, with row detail and a read-only SQL console', async () => {
    await go(page, 'Mirror');
    await expect.poll(() => page.getByTestId('mirror-rows-row').count(), { timeout: 30_000 }).toBe(25);
    await page.getByRole('searchbox', { name: 'Search users' }).fill('seed-user-7@');
    await expect.poll(() => page.getByTestId('mirror-rows-row').count()).toBe(1);
    await page.getByTestId('mirror-rows-row').first().press('Enter');
    expect(await page.getByTestId('row-detail').textContent()).toContain('seed-user-7@example.com');
    await screenshot(page, 'mirror', screenshots, async () => {});

    await page.getByRole('tab', { name: 'SQL console' }).click();
    const console = page.getByTestId('sql-console');
    await console.getByRole('textbox').fill('DELETE FROM users');
    await console.getByRole('button', { name: 'Run' }).click();
    await expect
      .poll(() => console.getByRole('alert').textContent())
      .toContain('Refused: the console only reads');
    await console.getByRole('textbox').fill('SELECT count(*) AS n FROM users');
    await console.getByRole('textbox').press('Control+Enter');
    await expect.poll(() => page.getByTestId('query-result-row').first().textContent()).toBe('25');
    await console
      .getByRole('textbox')
      .fill('SELECT display_name, primary_email, signed_up_at\nFROM users\nORDER BY display_name\nLIMIT 10');
    await console.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByTestId('query-result-row').count()).toBe(10);
    await screenshot(page, 'mirror-console', screenshots, async () => {});
  }, 60_000);

  it('runs the compatibility check and shows the emulator is dual, with history and exports', async () => {
    await go(page, 'Compatibility');
    await page.getByRole('button', { name: 'Run the check' }).click();
    await expect
      .poll(
        () =>
          page
            .getByTestId('verdict-class')
            .textContent()
            .catch(() => null),
        { timeout: 90_000 },
      )
      .toBe('dual');
    expect(await page.getByTestId('answers').textContent()).toContain('yes');
    expect(await page.getByTestId('scenarios').getByText('pass').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('check-history').getByRole('button').count()).toBe(1);
    if (companion.mode === 'serve') {
      // Electron hands downloads to a save dialog; the export content itself is covered by the API tests.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'JSON' }).click(),
      ]);
      const report = JSON.parse(readFileSync(await download.path(), 'utf8')) as { backendClass: string };
      expect(report.backendClass).toBe('dual');
      const [har] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'HAR' }).click(),
      ]);
      const harText = readFileSync(await har.path(), 'utf8');
      expect(harText).toContain('"log"');
      expect(harText).not.toMatch(/ssk_[a-z0-9]{12}/);
    }
    await screenshot(page, 'compat', screenshots, async () => {});
  }, 120_000);

  it('holds changes in the backlog while the workers are off, then drains them', async () => {
    await go(page, 'Sync monitor');
    const workers = page.getByRole('switch', { name: 'Workers' });
    await workers.click();
    await expect.poll(() => workers.getAttribute('aria-checked')).toBe('false');
    await expect.poll(() => page.getByTestId('workers-paused').isVisible()).toBe(true);

    await signUp('stack', 'paused-old-1@example.com');
    await signUp('stack', 'paused-old-2@example.com');
    await signUp('hexclave', 'paused-new@example.com');
    await expect
      .poll(() => numberIn(page, '[data-testid="backlog-rows"] .stat-value'), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const paused = await companion.call('mirror.browse', {
      project: (await project()).id,
      table: 'users',
      search: 'paused-',
      limit: 10,
      offset: 0,
    });
    expect(paused.rows).toHaveLength(0);
    await screenshot(page, 'sync-paused', screenshots, async () => {});

    await workers.click();
    await expect.poll(() => workers.getAttribute('aria-checked')).toBe('true');
    await expect
      .poll(() => numberIn(page, '[data-testid="backlog-rows"] .stat-value'), { timeout: 30_000 })
      .toBe(0);
    const usersApplied = '[data-mapping="users"] [data-testid="mapping-rows-applied"]';
    await expect.poll(() => numberIn(page, usersApplied)).toBeGreaterThanOrEqual(28);

    await go(page, 'Mirror');
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search users' }).fill('paused-');
    // The search waits for typing to pause, then reads the mirror: seconds on a loaded machine.
    await expect.poll(() => page.getByTestId('mirror-rows-row').count(), { timeout: 15_000 }).toBe(3);
  }, 90_000);

  it('lists the proxied exchanges live and filters them DevTools-style', async () => {
    const failed = await sendThroughProxy('stack', '/auth/password/sign-in', {
      email: 'paused-old-1@example.com',
      password: 'wrong password',
    });
    expect(failed.status).toBe(400);
    await go(page, 'Traffic');
    const rows = page.getByTestId('traffic-table-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(4);
    const filter = page.getByRole('searchbox', { name: 'Filter exchanges' });
    const families = async () =>
      (
        await page.locator('[data-testid="traffic-table-row"] .pill[class*="family-"]').allTextContents()
      ).sort();

    await filter.fill('family:old');
    await expect.poll(families).toEqual(['old', 'old', 'old']);
    await filter.fill('-family:old');
    await expect.poll(families).toEqual(['new']);
    await filter.fill('status-code:400');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('/api/v1/auth/password/sign-in');
    await filter.fill('method:POST -status-code:4xx sign-up');
    await expect.poll(() => rows.count()).toBe(3);
    await filter.fill('famly:old');
    await expect
      .poll(() => page.locator('#traffic-filter-error').textContent())
      .toContain('Unknown filter "famly:"');
    expect(await filter.getAttribute('aria-invalid')).toBe('true');
    await filter.fill('has-response-header:x-hexclave-request-id');
    await expect.poll(() => rows.count()).toBe(4);
    expect(await page.getByTestId('traffic-count').textContent()).toBe('4 of 4 exchanges');

    // Keyboard: the grid takes focus, arrow keys move the selection, the route follows (#traffic/<seq>).
    await filter.fill('family:old');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByRole('grid', { name: 'Captured exchanges' }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#traffic\/\d+$/);
    const detail = page.getByTestId('traffic-detail');
    await expect
      .poll(() => detail.getByTestId('request-pairs').textContent())
      .toContain('x-stack-project-id');
    expect(await detail.getByTestId('request-pairs').textContent()).toContain('x-hexclave-project-id');
    expect(await detail.getByTestId('response-pairs').textContent()).toContain('x-hexclave-request-id');

    // Tokens in a response are decoded and verified against the project's JWKS.
    await filter.fill('family:new sign-up');
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().click();
    await expect.poll(() => detail.getByTestId('token').first().textContent()).toContain('signature valid');
    expect(await detail.getByTestId('token').first().textContent()).toMatch(/expires in \d+ min/);

    // A link from the in-page overlay selects its exchange.
    const newest = (
      await companion.call('traffic.list', { project: (await project()).id, afterSeq: 0, limit: 10 })
    ).items.at(-1)!;
    await page.evaluate((seq) => (location.hash = `#traffic/${seq}`), newest.seq);
    await expect.poll(() => detail.textContent()).toContain(`#${newest.seq}`);
    expect(await detail.textContent()).toContain('sign-in');
    if (companion.mode === 'serve') {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await detail.getByRole('button', { name: 'Copy as cURL' }).click();
      const curl = await page.evaluate(() => navigator.clipboard.readText());
      // shared/shell.ts quotes only words that need it, so the URL may be bare.
      expect(curl).toMatch(/^curl -X POST '?[^ ']*\/api\/v1\/auth\/password\/sign-in'? /);
      expect(curl).not.toContain('wrong password');
      expect(curl).toContain('${PASSWORD:?');
      await expect.poll(() => detail.getByTestId('curl-needs').textContent()).toContain('$PASSWORD');
      await detail.getByRole('button', { name: 'Copy with secrets' }).click();
      await expect
        .poll(() => page.evaluate(() => navigator.clipboard.readText()), { timeout: 10_000 })
        .not.toBe(curl);
      const withSecrets = await page.evaluate(() => navigator.clipboard.readText());
      expect(withSecrets).not.toContain('${');
      expect(withSecrets).toMatch(/"password":"[^"]+"/);
    }
    // For the picture: every exchange, the new SDK's sign-up open with its tokens.
    await filter.fill('');
    const newSignUp = (
      await companion.call('traffic.list', { project: (await project()).id, afterSeq: 0, limit: 10 })
    ).items.find((item) => item.family === 'new')!;
    await page.evaluate((seq) => (location.hash = `#traffic/${seq}`), newSignUp.seq);
    await expect.poll(() => detail.getByTestId('token').count()).toBeGreaterThan(0);
    await screenshot(page, 'traffic', screenshots, async () => {});
  }, 60_000);

  it('shows the MCP server reachable with a snippet per editor and its tools', async () => {
    await go(page, 'MCP');
    await expect
      .poll(() => page.getByTestId('mcp-reachable').textContent(), { timeout: 30_000 })
      .toContain('reachable');
    expect(await page.getByTestId('mcp-snippet').count()).toBe(4);
    expect(await page.getByTestId('mcp-tools').textContent()).toContain('query_mirror');
    if (companion.mode === 'serve') {
      await page.getByRole('button', { name: 'Copy for Cursor' }).click();
      const snippet = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as {
        mcpServers: { hexclave: { args: string[] } };
      };
      expect(snippet.mcpServers.hexclave.args).toContain((await project()).id);
    }
    // Each tool's description, and a call with JSON arguments that shows the raw result, as the MCP Inspector does.
    const tools = page.getByTestId('mcp-tools');
    await tools
      .getByRole('button')
      .filter({ hasText: /^check_backend/ })
      .click();
    expect(await page.getByTestId('mcp-tool-description').textContent()).toContain('compatibility checker');
    // A tool that can write waits for the user's confirmation.
    expect(await page.getByRole('button', { name: 'Call check_backend' }).isDisabled()).toBe(true);
    await tools
      .getByRole('button')
      .filter({ hasText: /^ask_hexclave/ })
      .click();
    await page
      .getByLabel('Arguments for ask_hexclave')
      .fill(JSON.stringify({ question: 'What tables does the sync mirror?' }, null, 2));
    await page.getByRole('button', { name: 'Call ask_hexclave' }).click();
    await expect
      .poll(() => page.getByTestId('mcp-result').textContent(), { timeout: 30_000 })
      .toContain('connected_accounts');
    expect(await page.getByTestId('mcp-result').textContent()).toContain('"structuredContent"');
    await screenshot(page, 'mcp', screenshots, async () => {});
    await go(page, 'Registry');
    await expect.poll(() => page.getByTestId('registry-row').count()).toBeGreaterThan(100);
    await screenshot(page, 'registry', screenshots, async () => {});
  }, 60_000);

  it('connects a second project by hand, side by side, then removes it', async () => {
    const first = await project();
    await go(page, 'Projects');
    await page.getByRole('button', { name: 'Connect another project…' }).click();
    const form = page.getByRole('form', { name: 'Connect my project' });
    await form.getByRole('radio', { name: 'Enter them by hand' }).check();
    await form.getByRole('textbox', { name: 'Name' }).fill('Staging');
    await form.getByRole('textbox', { name: 'API URL' }).fill(first.runtime.apiUrl!);
    await form.getByRole('textbox', { name: 'Project id' }).fill(first.projectId!);
    await form.getByRole('textbox', { name: 'Publishable client key' }).fill(first.publishableClientKey!);
    await form.getByRole('button', { name: 'Connect project' }).click();
    // A new project becomes the active one and the app goes to its monitor, which says what is missing.
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#sync');
    await expect
      .poll(() => page.getByTestId('project-switcher').locator('option').allTextContents())
      .toEqual([expect.stringContaining('Local emulator'), expect.stringContaining('Staging')]);
    await expect
      .poll(() => page.getByText('This project has no sync source').isVisible(), { timeout: 60_000 })
      .toBe(true);

    await go(page, 'Projects');
    const staging = page.getByTestId('project-card').filter({ hasText: 'Staging' });
    expect(await staging.textContent()).toContain('secret server key: not set');
    await expect
      .poll(() => staging.getByTestId('runtime-state').textContent(), { timeout: 60_000 })
      .toBe('running');
    await staging.getByRole('button', { name: 'Remove…' }).click();
    expect(await staging.getByTestId('remove-warning').textContent()).toContain('deletes its Postgres data');
    await staging.getByRole('button', { name: 'Remove Staging and its data' }).click();
    await expect.poll(() => page.getByTestId('project-card').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('project-switcher').selectOption(first.id);
  }, 120_000);

  it('is keyboard-navigable: skip link, sidebar links and visible focus', async () => {
    // From a fresh load, the way a keyboard user meets the app.
    await page.reload();
    await page.getByTestId('project-switcher').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('project-switcher');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Projects');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#sync');
  });
}
