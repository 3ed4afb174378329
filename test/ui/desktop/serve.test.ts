import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../../helpers/browser.js';
import { launchServeCompanion } from '../../helpers/desktop.js';
import { companionWalkthrough } from './walkthrough.js';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!chromiumPath)('the companion in a browser (serve mode, Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  companionWalkthrough({ launch: () => launchServeCompanion(browser), screenshots: true });
});
