/**
 * What the in-page overlay costs the page's own requests. One page per variant runs N sequential fetches (await
 * fetch, then await json — what an SDK call does) to a backend-like server in a process of its own:
 *   without    — no overlay;
 *   standalone — the overlay script with no companion (observes, checks, shows; reports nothing);
 *   companion  — the script served by a running companion, reporting every exchange over its socket.
 * Rounds alternate the order and each round's runs are back to back, so load from other processes hits every
 * variant alike; the paired difference to `without` is what is reported. Also prints the gzipped script size.
 * Run: npm run bench:overlay -- [fetches=200] [rounds=15]
 */

import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CDPSession, Page } from 'playwright-core';
import { createOverlayHost, overlayScriptFile } from '../main/overlay-host/index.js';
import { startServe } from '../main/serve/index.js';
import { TrafficHub } from '../main/traffic/index.js';
import { requestHeaderName } from '../shared/registry/index.js';
import { launchChromium } from '../test/helpers/browser.js';
import { buildAll } from './build.mjs';

const fetches = Number(process.argv[2] ?? 200);
const rounds = Number(process.argv[3] ?? 15);
const VARIANTS = ['without', 'standalone', 'companion'] as const;
type Variant = (typeof VARIANTS)[number];

await buildAll({ only: ['overlay'], log: (line) => console.error(`[build] ${line}`) });
const script = readFileSync(overlayScriptFile());
console.log(
  `overlay.js: ${script.length} bytes, ${gzipSync(script, { level: 9 }).length} bytes gzipped (gzip -9)`,
);

const hub = new TrafficHub(() => ({ expectedMode: 'unknown' }));
const rendererDir = mkdtempSync(join(tmpdir(), 'bench-renderer-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
const overlay = createOverlayHost({ hub: () => hub, version: 'bench' });
const companion = await startServe({
  rendererDir,
  overlay,
  dispatch: async () => ({}),
  events: { publish() {}, subscribe: () => () => {} } as never,
});

const projectHeader = requestHeaderName('header.project-id', 'hexclave');
const scriptTag: Record<Variant, string> = {
  without: '',
  standalone: '<script src="/overlay.js"></script>', // the unserved build: no config, no reports
  companion: `<script src="${companion.origin}/overlay.js"></script>`,
};
const page = (variant: Variant) => `<!doctype html><html><head>${scriptTag[variant]}</head><body><script>
window.bench = async (n, path) => {
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const response = await fetch(path, { headers: { '${projectHeader}': 'bench-project' } });
    await response.json();
  }
  return performance.now() - started;
};
</script></body></html>`;

// The app's server runs in a process of its own, as a real backend does, so the companion's work on the reports
// is not counted as backend latency by sharing an event loop with it.
const app = fork(join(import.meta.dirname, 'bench-overlay-app.mjs'), [], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const appPort = await new Promise<number>((resolve) => app.once('message', (port) => resolve(Number(port))));
app.send({
  pages: Object.fromEntries(VARIANTS.map((v) => [`/${v}`, page(v)])),
  overlay: script.toString('utf8'),
});
await new Promise((resolve) => app.once('message', resolve));
const appOrigin = `http://127.0.0.1:${appPort}`;

type Bench = { bench: (n: number, path: string) => Promise<number> };
interface Tab {
  readonly page: Page;
  readonly cdp: CDPSession;
}
/** Main-thread busy time of the tab's renderer so far (CDP Performance.TaskDuration), in ms. */
async function busyMs(tab: Tab): Promise<number> {
  const { metrics } = (await tab.cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}
/** One timed run, then a settle (the overlay analyses after traffic goes quiet) counted in busy time only. */
async function run(tab: Tab, n: number, path: string): Promise<{ wall: number; busy: number }> {
  const before = await busyMs(tab);
  const wall = await tab.page.evaluate(([count, p]) => (window as unknown as Bench).bench(count, p), [
    n,
    path,
  ] as const);
  await tab.page.evaluate(
    () =>
      new Promise((resolve) =>
        setTimeout(() => requestIdleCallback(() => requestIdleCallback(resolve)), 300),
      ),
  );
  return { wall, busy: (await busyMs(tab)) - before };
}
const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const perRequest = (ms: number) => `${((ms / fetches) * 1000).toFixed(0)} µs/request`;

const browser = await launchChromium();
try {
  // A browser context per variant: separate renderer processes, so one page's work never lands on another's.
  const tabs = {} as Record<Variant, Tab>;
  for (const variant of VARIANTS) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${appOrigin}/${variant}`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    tabs[variant] = { page, cdp };
  }
  for (const [label, path] of [
    ['backend calls (/api/v1/…: observed and checked)', '/api/v1/users/me'],
    ['other calls (not observed)', '/assets/data.json'],
  ] as const) {
    for (const variant of VARIANTS) await run(tabs[variant], 20, path); // warm up
    const results = Object.fromEntries(
      VARIANTS.map((v) => [v, [] as { wall: number; busy: number }[]]),
    ) as Record<Variant, { wall: number; busy: number }[]>;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) results[variant].push(await run(tabs[variant], fetches, path));
    }
    const wall = (v: Variant) => results[v].map((r) => r.wall);
    const busy = (v: Variant) => median(results[v].map((r) => r.busy));
    console.log(`${label}: ${fetches} sequential fetch+json per run, ${rounds} rounds`);
    console.log(
      `  without overlay: wall median ${median(wall('without')).toFixed(1)} ms (${perRequest(median(wall('without')))}); ` +
        `main thread ${busy('without').toFixed(1)} ms`,
    );
    for (const variant of ['standalone', 'companion'] as const) {
      const differences = wall(variant).map((ms, i) => ms - wall('without')[i]!);
      const difference = median(differences);
      console.log(
        `  ${variant.padEnd(10)}: wall median ${median(wall(variant)).toFixed(1)} ms, paired difference ` +
          `${difference.toFixed(1)} ms (${perRequest(difference)}, ${((difference / median(wall('without'))) * 100).toFixed(1)} %, ` +
          `range ${Math.min(...differences).toFixed(0)}…${Math.max(...differences).toFixed(0)} ms); ` +
          `main thread +${(busy(variant) - busy('without')).toFixed(1)} ms (${perRequest(busy(variant) - busy('without'))}, incl. the deferred analysis)`,
      );
    }
  }
  console.log(`companion received ${hub.list().length} exchanges`);
} finally {
  await browser.close();
  app.kill();
  await companion.close();
}
