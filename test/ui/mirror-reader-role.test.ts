import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIRROR_READER_ROLE } from '../../main/mirror/index.js';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../helpers/browser.js';
import { type CompanionUnderTest, launchServeCompanion } from '../helpers/desktop.js';
import { loadMirrorFixture, withClient } from '../helpers/mirror.js';
import { adminUrl, createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { waitUntil } from '../helpers/wait.js';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

// A project whose external mirror URL is the owner's (a superuser here): the Mirror screen refuses to read as that
// role, shows the statements that create a reader, and its button creates one, after which the mirror reads.
describe.skipIf(!chromiumPath)('Mirror screen with a mirror URL that can do more than read', () => {
  let browser: Browser;
  let companion: CompanionUnderTest;
  let db: TestDatabase & { drop(): Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase('ui_external_mirror');
    await loadMirrorFixture(db.url);
    browser = await launchChromium();
    companion = await launchServeCompanion(browser);
    const { id } = await companion.call('projects.create', {
      kind: 'connected',
      name: 'External mirror',
      apiUrl: 'http://127.0.0.1:9',
      projectId: 'ui-external-mirror',
      mirrorDatabaseUrl: db.url,
    });
    await waitUntil(
      async () =>
        (await companion.call('projects.list', {})).projects.find((p) => p.id === id)?.runtime.state,
      (state) => state === 'running' || state === 'failed',
      'the project to start',
      120_000,
    );
    await companion.page.reload();
  }, 180_000);

  afterAll(async () => {
    await companion?.close();
    await browser?.close();
    await db?.drop();
    await withClient(adminUrl(), (client) => client.query(`DROP ROLE IF EXISTS ${MIRROR_READER_ROLE}`));
  });

  it('shows why, the statements to copy, and creates the read-only role with one click', async () => {
    const { page } = companion;
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Mirror' }).click();
    const notice = page.getByTestId('privileged-role');
    await expect.poll(() => notice.isVisible(), { timeout: 30_000 }).toBe(true);
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('it is a superuser');
    expect(text).toContain(`CREATE ROLE "${MIRROR_READER_ROLE}" LOGIN PASSWORD`);
    expect(text).toContain(`GRANT SELECT ON ALL TABLES IN SCHEMA "public" TO "${MIRROR_READER_ROLE}"`);
    expect(await notice.getByRole('button', { name: 'Copy the statements' }).isVisible()).toBe(true);

    await notice.getByRole('button', { name: 'Create a read-only role' }).click();
    await expect
      .poll(() => page.getByTestId('table-count-users').textContent(), { timeout: 30_000 })
      .toMatch(/\d/);
    expect(await page.getByTestId('privileged-role').count()).toBe(0);
  });
});
