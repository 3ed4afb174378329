import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CaptureContext, CdpExchangeAssembler } from '../../../main/electron/cdp-exchanges.js';
import type { Exchange } from '../../../shared/checker/index.js';
import { EXPECTED, hopView, inStartOrder } from '../../fixtures/cdp-capture/expected.js';
import {
  type CdpRecording,
  fixtureFile,
  type RecordedEvent,
  SCENARIOS,
  type ScenarioName,
} from '../../fixtures/cdp-capture/record.js';

// Chromium's own events (test/fixtures/cdp-capture/*.json, re-recorded by record.ts) fed to the capture in every
// order the DevTools protocol allows. Per request id the protocol keeps two ordered streams: the page-side events
// (requestWillBeSent, responseReceived, requestServedFromCache, loadingFinished/Failed) and the network-side
// ExtraInfo events (requestWillBeSentExtraInfo, responseReceivedExtraInfo, each in hop order). Nothing orders
// one stream against the other, so every interleaving of the two is a valid arrival order.

const isBackend = (url: string) => url.includes('/api/v1/');

function load(scenario: ScenarioName): CdpRecording {
  return JSON.parse(readFileSync(fixtureFile(scenario), 'utf8')) as CdpRecording;
}

/** Every interleaving of `a` and `b` that keeps each one's order. */
function* interleavings<T>(a: readonly T[], b: readonly T[]): Generator<T[]> {
  if (a.length === 0 || b.length === 0) {
    yield [...a, ...b];
    return;
  }
  for (const rest of interleavings(a.slice(1), b)) yield [a[0]!, ...rest];
  for (const rest of interleavings(a, b.slice(1))) yield [b[0]!, ...rest];
}

/** The recording with request `id`'s events rearranged into each valid order (the others stay as recorded). */
function* orders(events: readonly RecordedEvent[], id: string): Generator<RecordedEvent[]> {
  const own = events.filter((e) => e.params.requestId === id);
  const extra = own.filter((e) => e.method.endsWith('ExtraInfo'));
  const page = own.filter((e) => !e.method.endsWith('ExtraInfo'));
  for (const order of interleavings(page, extra)) {
    let next = 0;
    yield events.map((e) => (e.params.requestId === id ? order[next++]! : e));
  }
}

interface Run {
  emitted: { exchange: Exchange; context: CaptureContext }[];
  /** Timers the assembler set (a hop held for raw headers that had not come yet); never run unless asked. */
  timers: (() => void)[];
}

async function feed(recording: CdpRecording, events: readonly RecordedEvent[]): Promise<Run> {
  const run: Run = { emitted: [], timers: [] };
  const assembler = new CdpExchangeAssembler({
    isBackend,
    responseBody: async (id) => recording.responseBodies[id] ?? null,
    requestBody: async (id) => recording.requestBodies[id] ?? null,
    emit: (exchange, context) => run.emitted.push({ exchange, context }),
    schedule: (timer) => run.timers.push(timer),
  });
  for (const { method, params } of events) assembler.handle(method, params);
  // The body look-ups answer at once: every microtask they start has run by the next macrotask.
  await new Promise((resolve) => setImmediate(resolve));
  return run;
}

const view = (run: Run) =>
  inStartOrder(run.emitted).map(({ exchange, context }) => hopView(exchange, context));

describe('capture of recorded Chromium traffic (DevTools protocol, every valid event order)', () => {
  for (const scenario of Object.keys(SCENARIOS) as ScenarioName[]) {
    it(`${scenario}: one exchange per backend hop with its own status, Cookie and Set-Cookie`, async () => {
      const recording = load(scenario);
      // As recorded first: the baseline the permutations must all agree with.
      expect(view(await feed(recording, recording.events))).toEqual(EXPECTED[scenario]);

      const ids = [...new Set(recording.events.map((e) => e.params.requestId))];
      let checked = 0;
      for (const id of ids) {
        for (const events of orders(recording.events, id)) {
          const run = await feed(recording, events);
          const got = view(run);
          if (JSON.stringify(got) !== JSON.stringify(EXPECTED[scenario])) {
            const order = events.filter((e) => e.params.requestId === id).map((e) => e.method);
            expect({ order, got }).toEqual({ order, got: EXPECTED[scenario] });
          }
          // That list was complete before any timer ran (hasExtraInfo says what to wait for); timers running
          // later add nothing.
          const count = run.emitted.length;
          for (const timer of run.timers.splice(0)) timer();
          await new Promise((resolve) => setImmediate(resolve));
          expect(run.emitted.length).toBe(count);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(ids.length);
    });
  }

  it('OAuth callback: the chain has enough orders to matter (every one checked above)', () => {
    const recording = load('oauth-callback');
    const chain = recording.events.filter(
      (e) => e.params.request && isBackend(String((e.params.request as { url: string }).url)),
    );
    const id = chain[0]!.params.requestId;
    expect([...orders(recording.events, id)].length).toBeGreaterThan(1_000);
  });
});
