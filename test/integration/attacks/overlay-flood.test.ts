import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventBus } from '../../../main/api/index.js';
import { createOverlayHost, type OverlayHost } from '../../../main/overlay-host/index.js';
import { packageRoot } from '../../../main/package-root.js';
import { type RunningServe, startServe } from '../../../main/serve/index.js';
import { TrafficHub } from '../../../main/traffic/index.js';
import { IDLE_CLOSE_CODE, OVERLAY_LIMITS } from '../../../shared/overlay-protocol.js';

/**
 * Attack (issue 12 item 4): a page (or a local process that forges a loopback Origin) floods the overlay ingest.
 * Limits hold per page origin and for the companion as a whole however often it reconnects, the traffic hub holds
 * a bounded number of bytes that Clear gives back, and idle sockets never lock the real overlay out.
 */

interface Companion {
  readonly serve: RunningServe;
  readonly overlay: OverlayHost;
  readonly hub: TrafficHub;
  readonly rendererDir: string;
}

let companion: Companion | null = null;

async function startCompanion(
  limits?: Parameters<typeof createOverlayHost>[0]['limits'],
): Promise<Companion> {
  const rendererDir = mkdtempSync(join(tmpdir(), 'hexclave-flood-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const hub = new TrafficHub(() => ({ expectedMode: 'unknown' }));
  const overlay = createOverlayHost({ hub: () => hub, version: 't', ...(limits ? { limits } : {}) });
  const serve = await startServe({
    rendererDir,
    dispatch: async () => {
      throw new Error('the API is not part of this test');
    },
    events: new EventBus(),
    overlay,
  });
  companion = { serve, overlay, hub, rendererDir };
  return companion;
}

afterEach(async () => {
  if (!companion) return;
  await companion.serve.close();
  rmSync(companion.rendererDir, { recursive: true, force: true });
  companion = null;
});

type Opened = { ws: WebSocket; closed: Promise<number> } | { refused: number };

function connect(c: Companion, origin = 'http://localhost:3000'): Promise<Opened> {
  const ws = new WebSocket(
    `ws://127.0.0.1:${c.serve.port}${c.overlay.ingestPath}?token=${encodeURIComponent(c.overlay.ingestToken)}`,
    { origin },
  );
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve) => {
    ws.on('open', () => resolve({ ws, closed }));
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.on('error', () => resolve({ refused: -1 }));
  });
}

const report = (n: number, body = '{}') =>
  JSON.stringify({
    type: 'exchange',
    pageUrl: 'http://localhost:3000/',
    exchange: {
      id: `flood-${n}`,
      startedAt: Date.now(),
      durationMs: 1,
      request: { method: 'GET', url: 'http://localhost:8102/api/v1/users/me', headers: [] },
      response: { status: 200, headers: [['content-type', 'application/json']], body },
    },
    attribution: { family: 'none', source: 'none', clientVersion: null },
    findings: [],
  });

/** Sends `count` reports over one socket and closes it once they are all on the wire. */
async function sendAndClose(opened: Opened, from: number, count: number): Promise<void> {
  if ('refused' in opened) return;
  for (let i = 0; i < count; i++) opened.ws.send(report(from + i));
  await new Promise<void>((resolve) => opened.ws.send('', () => resolve()));
  opened.ws.close();
  await opened.closed;
}

describe('overlay ingest under a flood', () => {
  it('limits 10,000 reports over reconnecting sockets per page origin, not per socket', async () => {
    const c = await startCompanion();
    const started = Date.now();
    let refused = 0;
    for (let s = 0; s < 100; s++) {
      const opened = await connect(c);
      if ('refused' in opened) refused++;
      await sendAndClose(opened, s * 100, 100);
    }
    const seconds = (Date.now() - started) / 1000;
    const recorded = c.hub.list().length;
    // Before: every new socket had its own 200-report burst, and 10,000 of 10,000 went in.
    expect(recorded).toBeLessThanOrEqual(
      OVERLAY_LIMITS.burst + OVERLAY_LIMITS.messagesPerSecond * seconds + 5,
    );
    expect(recorded).toBeGreaterThanOrEqual(OVERLAY_LIMITS.burst);
    console.log(
      `10,000 reports over 100 reconnects (${refused} refused at the connection rate) in ${seconds.toFixed(1)} s: ${recorded} recorded`,
    );
  }, 120_000);

  it('limits all pages together, however many origins they use', async () => {
    const c = await startCompanion();
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 16 }, async (_, o) =>
        sendAndClose(await connect(c, `http://page${o}.localhost:3000`), o * 1000, 300),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const recorded = c.hub.list().length;
    expect(recorded).toBeLessThanOrEqual(
      OVERLAY_LIMITS.globalBurst + OVERLAY_LIMITS.globalMessagesPerSecond * seconds + 5,
    );
    expect(recorded).toBeLessThan(16 * OVERLAY_LIMITS.burst);
  }, 60_000);

  it('does not let 32 idle sockets make the real overlay get 503', async () => {
    const c = await startCompanion();
    const idle: Opened[] = [];
    for (let i = 0; i < OVERLAY_LIMITS.maxConnections; i++)
      idle.push(await connect(c, 'http://idle.localhost:4000'));
    expect(idle.every((o) => 'ws' in o)).toBe(true);
    // Idle for longer than the eviction threshold, the real overlay comes in and its report lands.
    await new Promise((resolve) => setTimeout(resolve, OVERLAY_LIMITS.evictIdleAfterMs + 200));
    const real = await connect(c);
    expect(real).toHaveProperty('ws');
    if (!('ws' in real)) return;
    const replies: string[] = [];
    real.ws.on('message', (data) => replies.push(String(data)));
    real.ws.send(report(1));
    await expect.poll(() => replies.some((r) => r.includes('"ack"'))).toBe(true);
    const evicted = idle.filter((o) => 'ws' in o && o.ws.readyState !== WebSocket.OPEN);
    expect(evicted).toHaveLength(1);
    for (const o of idle) if ('ws' in o) o.ws.close();
    real.ws.close();
  });

  it('closes sockets that stay idle, telling the overlay it may come back', async () => {
    const c = await startCompanion({ idleMs: 300 });
    const opened = await connect(c);
    if (!('ws' in opened)) throw new Error('refused');
    const started = Date.now();
    expect(await opened.closed).toBe(IDLE_CLOSE_CODE);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('traffic hub memory', () => {
  it('holds 3,000 reports of 250 kB within its byte limit, and Clear gives the memory back', async () => {
    // A fresh Node with --expose-gc, so the heap can be measured after a real collection.
    const body = `
      import { TrafficHub, DEFAULT_TRAFFIC_BYTES } from './main/traffic/hub.ts';
      const mb = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed / 1048576; };
      const base = mb();
      const hub = new TrafficHub(() => ({ expectedMode: 'unknown' }));
      for (let i = 0; i < 3000; i++) {
        const big = String(i).padStart(6, '0') + 'x'.repeat(125 * 1024);
        const pad = String(i).padStart(6, '0') + 'h'.repeat(125 * 1024);
        hub.record({ source: 'overlay', findings: [], exchange: { id: 'e' + i, startedAt: 0, durationMs: 1,
          request: { method: 'GET', url: 'http://localhost:1/a', headers: [['x-pad', pad]], body: null },
          response: { status: 200, headers: [], body: big } } });
      }
      const full = mb();
      const stats = hub.stats();
      hub.clear();
      const cleared = mb();
      console.log(JSON.stringify({ base, full, cleared, stats, limitMb: DEFAULT_TRAFFIC_BYTES / 1048576,
        newest: hub.list().length }));
    `;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', body],
        { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let text = '';
      child.stdout.on('data', (chunk) => (text += chunk));
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}`))));
    });
    const m = JSON.parse(out.trim().split('\n').at(-1)!) as {
      base: number;
      full: number;
      cleared: number;
      stats: { items: number; bytes: number; maxBytes: number };
      limitMb: number;
    };
    console.log(
      `hub memory: base ${m.base.toFixed(0)} MB, full ${m.full.toFixed(0)} MB, cleared ${m.cleared.toFixed(0)} MB`,
    );
    expect(m.stats.bytes).toBeLessThanOrEqual(m.stats.maxBytes);
    expect(m.stats.items).toBeGreaterThan(0);
    expect(m.stats.items).toBeLessThan(3000);
    // The heap follows the accounting: within the limit plus slack, and back near the start after Clear.
    expect(m.full - m.base).toBeLessThan(m.limitMb * 1.5);
    expect(m.cleared - m.base).toBeLessThan(16);
  }, 120_000);
});
