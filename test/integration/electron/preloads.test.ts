import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../main/package-root.js';
import { IPC_EVENT_CHANNEL, IPC_RPC_CHANNEL } from '../../../shared/api/ipc-channels.js';
import { OVERLAY_BRIDGE_GLOBAL, OVERLAY_IPC } from '../../../shared/overlay-protocol.js';

// The built preloads (out/preload/*.cjs) run in Electron's sandbox, where `require` knows only `electron` (its
// renderer modules) and `events`, `timers`, `url`; any other import, or a Node global, throws there at start-up and
// leaves the window without its bridge. Each runs here in a bare VM context with exactly that `require`, and what it
// exposes to the page is checked. Electron's own contextBridge is verified only where the binary runs.

const SANDBOX_MODULES = new Set(['events', 'timers', 'url']);

function runPreload(name: string) {
  const exposed = new Map<string, Record<string, unknown>>();
  const invoked: unknown[][] = [];
  const sent: unknown[][] = [];
  const executed: string[] = [];
  const ipcRenderer = Object.assign(new EventEmitter(), {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return args[0] === OVERLAY_IPC.script ? 'window.__overlayRan = true;' : { ok: true, result: 42 };
    },
    send: (...args: unknown[]) => sent.push(args),
  });
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api),
    },
    ipcRenderer,
    webFrame: { executeJavaScript: async (code: string) => executed.push(code) },
  };
  const required: string[] = [];
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    if (SANDBOX_MODULES.has(id)) return {};
    throw new Error(`module not found: ${id} (not available to a sandboxed preload)`);
  };
  const module = { exports: {} };
  const context = createContext({ require: sandboxRequire, module, exports: module.exports });
  runInContext(readFileSync(join(packageRoot(), 'out', 'preload', name), 'utf8'), context, {
    filename: name,
  });
  return { exposed, invoked, sent, executed, ipcRenderer, required };
}

describe('the built preloads in Electron’s sandbox', () => {
  it('the companion window’s preload exposes exactly call and subscribe, over the two API channels', async () => {
    const preload = runPreload('index.cjs');
    expect(preload.required).toEqual(['electron']);
    expect([...preload.exposed.keys()]).toEqual(['hexclaveCompanion']);
    const api = preload.exposed.get('hexclaveCompanion') as {
      call(method: unknown, input: unknown): Promise<unknown>;
      subscribe(topic: string, listener: (payload: unknown) => void): () => void;
    };
    expect(Object.keys(api).sort()).toEqual(['call', 'subscribe']);

    expect(await api.call('projects.list', {})).toEqual({ ok: true, result: 42 });
    expect(preload.invoked).toEqual([[IPC_RPC_CHANNEL, 'projects.list', {}]]);

    const got: unknown[] = [];
    const unsubscribe = api.subscribe('app.navigate', (payload) => got.push(payload));
    preload.ipcRenderer.emit(IPC_EVENT_CHANNEL, {}, 'other.topic', 1);
    preload.ipcRenderer.emit(IPC_EVENT_CHANNEL, {}, 'app.navigate', { screen: 'traffic' });
    unsubscribe();
    preload.ipcRenderer.emit(IPC_EVENT_CHANNEL, {}, 'app.navigate', { screen: 'sync' });
    expect(got).toEqual([{ screen: 'traffic' }]);
    expect(preload.ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
  });

  it('the app window’s preload gives the page only the overlay bridge, then runs the overlay main sends', async () => {
    const preload = runPreload('overlay.cjs');
    expect(preload.required).toEqual(['electron']);
    expect([...preload.exposed.keys()]).toEqual([OVERLAY_BRIDGE_GLOBAL]);
    const bridge = preload.exposed.get(OVERLAY_BRIDGE_GLOBAL) as {
      onTraffic(listener: (item: unknown) => void): void;
      report(message: unknown): void;
    };
    expect(Object.keys(bridge).sort()).toEqual(['onTraffic', 'report']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(preload.invoked).toEqual([[OVERLAY_IPC.script]]);
    expect(preload.executed).toEqual(['window.__overlayRan = true;']);

    // Traffic that came before the overlay listened is replayed to it, then new items follow.
    preload.ipcRenderer.emit(OVERLAY_IPC.traffic, {}, { seq: 1 });
    const items: unknown[] = [];
    bridge.onTraffic((item) => items.push(item));
    preload.ipcRenderer.emit(OVERLAY_IPC.traffic, {}, { seq: 2 });
    expect(items).toEqual([{ seq: 1 }, { seq: 2 }]);

    bridge.report({ type: 'focus', seq: 2 });
    expect(preload.sent).toEqual([[OVERLAY_IPC.report, { type: 'focus', seq: 2 }]]);
  });
});
