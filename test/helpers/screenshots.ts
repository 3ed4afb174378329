import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { packageRoot } from '../../main/package-root.js';

export const SCREENSHOT_DIR = join(packageRoot(), 'docs', 'screenshots');
const THEMES = ['light', 'dark'] as const;

/**
 * docs/screenshots/<name>-<light|dark>.png of the page as it is, in both themes. `ready` waits for whatever
 * re-renders on the new palette; the content pane is scrolled to the top unless `keepScroll`.
 */
export async function themedScreenshot(
  page: Page,
  name: string,
  options: { ready?: () => Promise<void>; keepScroll?: boolean } = {},
): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const colorScheme of THEMES) {
    await page.emulateMedia({ colorScheme });
    await options.ready?.();
    if (!options.keepScroll) {
      await page.evaluate(() => document.getElementById('main-content')?.scrollTo(0, 0));
    }
    // Let uPlot and the CSS transitions settle on the new palette.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
