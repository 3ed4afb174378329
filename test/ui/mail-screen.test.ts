import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../main/package-root.js';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../helpers/browser.js';
import { type CompanionUnderTest, launchServeCompanion } from '../helpers/desktop.js';
import { waitUntil } from '../helpers/wait.js';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

const CALLBACK = 'http://localhost:3000/handler/magic-link-callback';

// The Mail screen of an emulator project: what the app's sign-in flow sent shows up live, its code is one click
// away, reading it marks it read, and clearing empties the mailbox (in the emulator's database, for every reader).
describe.skipIf(!chromiumPath)('Mail screen', () => {
  let browser: Browser;
  let companion: CompanionUnderTest;
  let page: Page;
  let projectId: string;

  /** What the app's sign-in page does: ask the emulator for a sign-in code by e-mail (through the proxy). */
  const sendSignInCode = async (email: string) => {
    const { projects } = await companion.call('projects.list', {});
    const project = projects.find((p) => p.id === projectId)!;
    const response = await fetch(`${project.runtime.proxyUrl}/api/v1/auth/otp/send-sign-in-code`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-stack-project-id': project.projectId!,
        'x-stack-access-type': 'client',
        'x-stack-publishable-client-key': project.publishableClientKey!,
      },
      body: JSON.stringify({ email, callback_url: CALLBACK }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
  };

  beforeAll(async () => {
    browser = await launchChromium();
    companion = await launchServeCompanion(browser);
    page = companion.page;
    projectId = (await companion.call('projects.create', { kind: 'emulator' })).id;
    await waitUntil(
      async () =>
        (await companion.call('projects.list', {})).projects.find((p) => p.id === projectId)?.runtime.state,
      (state) => state === 'running' || state === 'failed',
      'the emulator project to start',
      120_000,
    );
    await page.reload();
  }, 180_000);

  afterAll(async () => {
    await companion?.close();
    await browser?.close();
  });

  it('shows sent mail live, copies its code, marks it read and clears it', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Mail' }).click();
    await expect.poll(() => page.getByText('No mail yet').isVisible(), { timeout: 30_000 }).toBe(true);

    await sendSignInCode('ada@example.com');
    await sendSignInCode('grace@example.com');
    // No reload: the screen follows `mail.received`.
    const rows = page.getByTestId('mail-list').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByTestId('mailboxes').textContent()).toMatch(/ada.*1 · 1 unread/);

    // The OTP the e-mail carries is the one the list offers to copy.
    const list = await companion.call('mail.list', { project: projectId, mailbox: 'ada' });
    const otp = list.messages[0]!.codes.otp!;
    expect(otp).toMatch(/^[0-9A-Z]{6}$/);
    const adaRow = rows.filter({ hasText: 'ada@example.com' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await adaRow.getByRole('button', { name: `Copy ${otp}` }).click();
    await expect.poll(() => adaRow.getByRole('button', { name: 'Copied' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(otp);

    // Opening it shows the code and the magic link, and marks it read.
    await adaRow.click();
    const message = page.getByTestId('mail-message');
    await expect.poll(() => message.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await message.getByTestId('mail-codes').textContent()).toContain(otp);
    expect(await message.getByTestId('mail-codes').textContent()).toContain(`${CALLBACK}?code=`);
    expect(await page.getByTestId('mail-text').textContent()).toContain(otp);
    const adaMailbox = page.getByTestId('mailboxes').getByRole('button', { name: /ada/ });
    await expect.poll(() => adaMailbox.textContent()).not.toContain('unread');
    expect((await companion.call('mail.list', { project: projectId })).mailboxes).toEqual(
      expect.arrayContaining([expect.objectContaining({ mailbox: 'ada', unseen: 0 })]),
    );

    if (process.env.HEXCLAVE_SCREENSHOTS !== '0') {
      const dir = join(packageRoot(), 'docs', 'screenshots');
      mkdirSync(dir, { recursive: true });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.screenshot({ path: join(dir, `mail-${colorScheme}.png`) });
      }
      await page.emulateMedia({ colorScheme: 'light' });
    }

    // One mailbox, then everything.
    await page.getByTestId('mailboxes').getByRole('button', { name: /grace/ }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole('button', { name: 'Clear this mailbox' }).click();
    await expect.poll(() => page.getByTestId('mailboxes').textContent()).not.toContain('grace');
    expect((await companion.call('mail.list', { project: projectId })).messages).toHaveLength(1);
    await page.getByRole('button', { name: 'Clear all mail' }).click();
    await expect.poll(() => page.getByText('No mail yet').isVisible()).toBe(true);
    expect((await companion.call('mail.list', { project: projectId })).messages).toHaveLength(0);
  });

  it('answers a clear 404 for a message that is gone', async () => {
    await expect(
      companion.call('mail.get', { project: projectId, mailbox: 'ada', id: 'no-such-message' }),
    ).rejects.toThrow(/This message is gone/);
  });
});
