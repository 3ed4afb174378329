import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaptureContext, CdpExchangeAssembler } from '../../../main/electron/cdp-exchanges.js';
import type { Exchange } from '../../../shared/checker/index.js';
import { EXPECTED, hopView, inStartOrder } from '../../fixtures/cdp-capture/expected.js';
import { recordScenario, SCENARIOS, type ScenarioName } from '../../fixtures/cdp-capture/record.js';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../../helpers/browser.js';

// The recorded fixtures (test/unit/app-window/cdp-recorded.test.ts) are only as good as their match with today's
// browser: this records every scenario again from Debian's Chromium and checks the capture's answer is the same.
const skipReason = findChromium() ? null : NO_CHROMIUM_REASON;
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('capture of live Chromium traffic (DevTools protocol)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const scenario of Object.keys(SCENARIOS) as ScenarioName[]) {
    it(`${scenario}: the exchanges the fixture promises`, async () => {
      const recording = await recordScenario(browser, scenario);
      const emitted: { exchange: Exchange; context: CaptureContext }[] = [];
      const assembler = new CdpExchangeAssembler({
        isBackend: (url) => url.includes('/api/v1/'),
        responseBody: async (id) => recording.responseBodies[id] ?? null,
        requestBody: async (id) => recording.requestBodies[id] ?? null,
        emit: (exchange, context) => emitted.push({ exchange, context }),
      });
      for (const { method, params } of recording.events) assembler.handle(method, params);
      await new Promise((resolve) => setImmediate(resolve));
      expect(inStartOrder(emitted).map(({ exchange, context }) => hopView(exchange, context))).toEqual(
        EXPECTED[scenario],
      );
    });
  }
});
