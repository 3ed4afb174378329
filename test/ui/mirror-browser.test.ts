import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIRROR_READER_ROLE } from '../../main/mirror/index.js';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../helpers/browser.js';
import { type CompanionUnderTest, launchServeCompanion } from '../helpers/desktop.js';
import { loadMirrorFixture, withClient } from '../helpers/mirror.js';
import { adminUrl, createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { themedScreenshot } from '../helpers/screenshots.js';
import { waitUntil } from '../helpers/wait.js';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

// The Mirror screen as Supabase Studio users expect it: sortable columns (over the whole table), a cell viewer for
// JSON with copy buttons, CSV export, an empty table that says so, a table not created yet that says so instead of
// a raw error over the previous table's rows, and console errors that list tables only when a table is unknown.
describe.skipIf(!chromiumPath)('Mirror browser', () => {
  let browser: Browser;
  let companion: CompanionUnderTest;
  let page: Page;
  let db: TestDatabase & { drop(): Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase('ui_mirror_browser');
    await loadMirrorFixture(db.url);
    await withClient(db.url, async (client) => {
      await client.query('TRUNCATE teams, team_member_profiles CASCADE');
      await client.query('DROP TABLE contact_channels');
    });
    browser = await launchChromium();
    companion = await launchServeCompanion(browser);
    page = companion.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const { id } = await companion.call('projects.create', {
      kind: 'connected',
      name: 'Mirror browser',
      apiUrl: 'http://127.0.0.1:9',
      projectId: randomUUID(),
      mirrorDatabaseUrl: db.url,
    });
    await waitUntil(
      async () =>
        (await companion.call('projects.list', {})).projects.find((p) => p.id === id)?.runtime.state,
      (state) => state === 'running' || state === 'failed',
      'the project to start',
      120_000,
    );
    await companion.call('mirror.createReader', { project: id });
    await page.reload();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Mirror' }).click();
  }, 180_000);

  afterAll(async () => {
    await companion?.close();
    await browser?.close();
    await db?.drop();
    await withClient(adminUrl(), (client) => client.query(`DROP ROLE IF EXISTS ${MIRROR_READER_ROLE}`));
  });

  const rows = () => page.getByTestId('mirror-rows-row');
  const header = (name: string) => page.getByTestId('mirror-rows').locator('th').filter({ hasText: name });

  it('sorts by a column over the whole table, shows JSON cells pretty with copy buttons, and exports CSV', async () => {
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(3);
    await header('display_name').getByRole('button').click();
    await expect.poll(() => header('display_name').getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => rows().first().textContent()).toContain('33333333'); // NULL name first
    await header('display_name').getByRole('button').click();
    await expect.poll(() => header('display_name').getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => rows().first().textContent()).toContain('Grace Hopper');
    expect(await rows().nth(1).textContent()).toContain('Ada Lovelace');

    // The cell viewer: JSON pretty-printed, each value and the row copyable.
    await rows().nth(1).click();
    const detail = page.getByTestId('row-detail');
    const metadata = detail.getByTestId('row-field').filter({ hasText: 'client_metadata' });
    expect(await metadata.getByTestId('json-cell').textContent()).toBe('{\n  "theme": "dark"\n}');
    await metadata.getByRole('button', { name: 'Copy' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe('{\n  "theme": "dark"\n}');
    await detail.getByTestId('copy-row').click();
    await expect
      .poll(async () => JSON.parse(await page.evaluate(() => navigator.clipboard.readText())).primary_email)
      .toBe('ada@example.com');
    await themedScreenshot(page, 'mirror-browser');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export page as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('users-rows-1-3.csv');
    const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(csv[0]!.split(',')).toContain('display_name');
    expect(csv[1]).toContain('Grace Hopper');
    expect(csv[2]).toContain('"{""theme"":""dark""}"');
    expect(csv).toHaveLength(5); // header, three rows, the final line break
  });

  it('says an empty table is empty and a table not created yet is not there, leaving no old rows', async () => {
    await page
      .getByRole('navigation', { name: 'Mirror tables' })
      .getByRole('button', { name: /^teams/ })
      .click();
    await expect.poll(() => page.getByTestId('empty-state').textContent()).toContain('This table is empty');
    expect(await page.getByTestId('page-range').textContent()).toBe('no rows');
    expect(await rows().count()).toBe(0);

    // From a table with rows straight to one that does not exist yet.
    await page
      .getByRole('navigation', { name: 'Mirror tables' })
      .getByRole('button', { name: /^users/ })
      .click();
    await expect.poll(() => rows().count()).toBe(3);
    expect(await page.getByTestId('table-count-contact_channels').textContent()).toBe('not created yet');
    await page
      .getByRole('navigation', { name: 'Mirror tables' })
      .getByRole('button', { name: /^contact_channels/ })
      .click();
    await expect
      .poll(() => page.getByTestId('empty-state').textContent())
      .toContain('contact_channels is not in the mirror yet');
    expect(await rows().count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    await themedScreenshot(page, 'mirror-missing-table');
  });

  it('names the mirror’s tables only when a query names an unknown table, and sorts console results', async () => {
    await page.getByRole('tab', { name: 'SQL console' }).click();
    const console = page.getByTestId('sql-console');
    await console.getByRole('textbox').fill('SELECT nope FROM users');
    await console.getByRole('button', { name: 'Run' }).click();
    await expect
      .poll(() => console.getByRole('alert').textContent())
      .toContain('column "nope" does not exist');
    expect(await console.getByRole('alert').textContent()).not.toContain('team_member_profiles');
    await console.getByRole('textbox').fill('SELECT * FROM no_such_table');
    await console.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => console.getByRole('alert').textContent()).toContain('team_member_profiles');

    await console.getByRole('textbox').fill('SELECT primary_email FROM users ORDER BY id');
    await console.getByRole('button', { name: 'Run' }).click();
    const result = page.getByTestId('query-result-row');
    await expect.poll(() => result.count()).toBe(3);
    await page.getByTestId('query-result').getByRole('button', { name: 'primary_email' }).click();
    await page.getByTestId('query-result').getByRole('button', { name: 'primary_email' }).click();
    expect(await result.allTextContents()).toEqual(['grace@example.com', 'ada@example.com', 'NULL']);
  });
});
