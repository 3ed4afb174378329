import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../main/package-root.js';
import { OVERLAY_IPC } from '../../../shared/overlay-protocol.js';
import {
  COMPANION_URL,
  type StandInApp,
  type StandInContents,
  startStandInApp,
} from '../../helpers/electron-stand-in.js';
import { useTestDatabase } from '../../helpers/postgres.js';
import { waitUntil } from '../../helpers/wait.js';

// The built Electron main process (out/main/index.js) loaded in plain Node on a stand-in `electron` module
// (test/fakes/electron), since the binary cannot run here. What Electron itself does with these calls is verified
// only where the binary exists (test/ui/desktop/electron.test.ts, test/ui/overlay/electron-window.test.ts).

const root = packageRoot();
const recording = JSON.parse(
  readFileSync(join(root, 'test', 'fixtures', 'cdp-capture', 'redirect-cookies.json'), 'utf8'),
) as {
  events: { method: string; params: Record<string, unknown> }[];
  responseBodies: Record<string, string>;
};

/** A stand-in for the developer's dev server. */
async function devServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><p>my app');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const newest = (app: StandInApp, before: number[]) =>
  app.state().then((s) => s.contents.filter((c) => !before.includes(c.id)));

describe('the Electron main process (built bundle, stand-in electron)', () => {
  let app: StandInApp;
  let dev: { url: string; close(): Promise<void> };
  let project: string;

  beforeAll(async () => {
    dev = await devServer();
    app = await startStandInApp();
    project = (await app.call<{ id: string }>('projects.create', { kind: 'emulator', seedUsers: 0 })).id;
  });
  afterAll(async () => {
    await app?.close();
    await dev?.close();
  });

  it('creates its window with the security checklist’s options and serves the UI from its own scheme with a CSP', async () => {
    // The window is shown on ready-to-show, which a loaded machine may deliver a moment after startup.
    await expect.poll(async () => (await app.state()).windows[0]?.visible, { timeout: 15_000 }).toBe(true);
    const state = await app.state();
    const [window] = state.windows;
    expect(window).toMatchObject({ type: 'BrowserWindow', visible: true, destroyed: false });
    expect(window!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: join(root, 'out', 'preload', 'index.cjs'),
    });
    expect(state.contents[0]!.url).toBe(COMPANION_URL);
    expect(state.privilegedSchemes).toEqual([
      {
        scheme: 'hexclave-companion',
        privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
      },
    ]);

    const page = await app.op<{ status: number; headers: Record<string, string>; body: string }>('fetch', {
      url: COMPANION_URL,
    });
    expect(page.status).toBe(200);
    const csp = page.headers['content-security-policy']!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(page.body).toContain('http-equiv="Content-Security-Policy"');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.body)![1]!;
    const asset = await app.op<{ status: number; headers: Record<string, string> }>('fetch', {
      url: `hexclave-companion://app/${script}`,
    });
    expect(asset).toMatchObject({
      status: 200,
      headers: { 'content-type': 'text/javascript; charset=utf-8' },
    });
    // Only the renderer folder is reachable, however the path is spelled.
    for (const path of ['..%2fmain%2findex.js', '%2e%2e/%2e%2e/package.json', '../main/index.js']) {
      const outside = await app.op<{ status: number }>('fetch', { url: `hexclave-companion://app/${path}` });
      expect(outside.status, path).toBe(404);
    }
    expect(await app.op('permission', { contents: 1, permission: 'media' })).toEqual({
      request: false,
      check: false,
    });
  });

  it('answers IPC only from its own UI’s main frame', async () => {
    expect((await app.rpc('app.info', {})).ok).toBe(true);
    const refused = [
      await app.rpc('app.info', {}, { frame: { url: 'https://evil.example/', top: true } }),
      await app.rpc('app.info', {}, { frame: { url: COMPANION_URL, top: false } }),
      await app.rpc('app.info', {}, { frame: { url: 'file:///tmp/index.html', top: true } }),
    ];
    for (const reply of refused)
      expect(reply).toEqual({
        ok: false,
        error: { name: 'Forbidden', message: 'IPC from an unexpected frame.' },
      });
  });

  it('locks navigation, redirects, window.open and <webview> — for every web contents, ours or not', async () => {
    const navigate = (url: string, extra: Record<string, unknown> = {}, contents = 1) =>
      app.op<{ prevented: boolean }>('navigate', { contents, url, ...extra }).then((r) => r.prevented);
    expect(await navigate(`${COMPANION_URL}#sync`)).toBe(false);
    expect(await navigate('https://evil.example/')).toBe(true);
    expect(await navigate('file:///etc/passwd')).toBe(true);
    expect(await navigate('https://evil.example/', { isMainFrame: false })).toBe(true);
    expect(await navigate('https://evil.example/', { redirect: true })).toBe(true);
    expect(await app.op('windowOpen', { contents: 1, url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
    expect(await app.op('attachWebview', { contents: 1 })).toEqual({ prevented: true });

    const stray = await app.op<number>('stray');
    expect(await navigate(COMPANION_URL, {}, stray)).toBe(true);
    expect(await navigate('https://example.com/', {}, stray)).toBe(true);
    expect(await app.op('windowOpen', { contents: stray, url: 'https://example.com/' })).toEqual({
      action: 'deny',
    });
  });

  it('“Open my app” answers within 2 s: a sandboxed view on the project’s own session, capture attached', async () => {
    const before = (await app.state()).contents.map((c) => c.id);
    const started = performance.now();
    const reply = await app.call<{ opened: boolean }>('projects.openApp', { project, url: dev.url });
    const elapsed = performance.now() - started;
    expect(reply.opened).toBe(true);
    expect(elapsed).toBeLessThan(2_000);

    const [view] = await waitUntil(
      () => newest(app, before),
      (list) =>
        list.length === 1 &&
        list[0]!.url === dev.url &&
        list[0]!.debugger.commands.includes('Page.getFrameTree'),
      'the app window to load and attach its capture',
      10_000,
    );
    expect(view!.partition).toBe(`persist:app-${project}`);
    expect(view!.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: join(root, 'out', 'preload', 'overlay.cjs'),
    });
    expect(view!.debugger).toEqual({ attached: true, commands: ['Network.enable', 'Page.getFrameTree'] });
    // The overlay comes from the build, to the view's main frame only.
    const script = await app.op('invoke', {
      contents: view!.id,
      channel: OVERLAY_IPC.script,
      frame: { url: dev.url },
    });
    expect(script).toBe(readFileSync(join(root, 'out', 'overlay', 'overlay.js'), 'utf8'));
    expect(
      await app.op('invoke', {
        contents: view!.id,
        channel: OVERLAY_IPC.script,
        frame: { url: dev.url, top: false },
      }),
    ).toBeNull();
    // …and to nobody else: not even the companion's own window.
    expect(
      await app.op('invoke', { contents: 1, channel: OVERLAY_IPC.script, frame: { url: COMPANION_URL } }),
    ).toBeNull();
    expect(await app.op('permission', { contents: view!.id, permission: 'geolocation' })).toEqual({
      request: false,
      check: false,
    });
    // The app stays on its origin; its own frames may load what they like.
    const navigate = (url: string, extra: Record<string, unknown> = {}) =>
      app
        .op<{ prevented: boolean }>('navigate', { contents: view!.id, url, ...extra })
        .then((r) => r.prevented);
    expect(await navigate(`${dev.url}handler/sign-in`)).toBe(false);
    expect(await navigate('https://evil.example/')).toBe(true);
    expect(await navigate('https://evil.example/', { redirect: true, isMainFrame: true })).toBe(true);
    expect(await navigate('https://js.stripe.com/v3/', { isMainFrame: false })).toBe(false);
  });

  it('captures the page’s traffic into Traffic, one exchange per hop, and hands the page only what it could read', async () => {
    const before = (await app.state()).contents.map((c) => c.id);
    await app.call('projects.openApp', { project, url: dev.url });
    const [view] = await waitUntil(
      () => newest(app, before),
      (list) => list.length === 1 && list[0]!.debugger.commands.includes('Page.getFrameTree'),
      'the capture to attach',
      10_000,
    );
    const frameId = recording.events.find((e) => e.method === 'Network.requestWillBeSent')!.params.frameId;
    await app.op('cdpScript', {
      method: 'Network.getResponseBody',
      answers: Object.fromEntries(
        Object.entries(recording.responseBodies).map(([id, body]) => [id, { body, base64Encoded: false }]),
      ),
    });
    await app.call('traffic.clear', { project });
    // The view learned its main frame id when it attached; the recording's frame is a different one, so tell the
    // view's debugger to report the recorded frame and re-attach.
    await app.op('cdpScript', { mainFrameId: frameId });
    await app.op('detachDebugger', { contents: view!.id, reason: 'target closed' });
    await waitUntil(
      () => app.state().then((s) => s.contents.find((c) => c.id === view!.id)!.debugger),
      (d) => d.attached && d.commands.filter((m) => m === 'Page.getFrameTree').length === 2,
      'the capture to re-attach after the detach',
      10_000,
    );
    await app.op('cdp', { contents: view!.id, events: recording.events });

    const { items } = await waitUntil(
      () =>
        app.call<{ items: { seq: number; url: string; status: number; source: string }[] }>('traffic.list', {
          project,
        }),
      (r) => r.items.length === 3,
      'three captured hops',
      10_000,
    );
    expect(items.map((i) => [i.source, new URL(i.url).pathname, i.status])).toEqual([
      ['window', '/api/v1/auth/start', 302],
      ['window', '/api/v1/auth/continue', 307],
      ['window', '/api/v1/users/me', 200],
    ]);
    // Each hop with its own cookies: the 307 sent what the 302 set, and set its own.
    const cookiesOf = async (seq: number) =>
      (
        await app.call<{ cookies: { name: string; direction: string }[] }>('traffic.get', { project, seq })
      ).cookies.map((c) => `${c.direction} ${c.name}`);
    expect(await cookiesOf(items[0]!.seq)).toEqual(['sent hx-session', 'set hx-step', 'set hx-foreign']);
    expect(await cookiesOf(items[1]!.seq)).toEqual(['sent hx-session', 'sent hx-step', 'set hx-step2']);

    const toPage = (await app.state()).contents
      .find((c) => c.id === view!.id)!
      .sent.filter((m: StandInContents['sent'][number]) => m.channel === OVERLAY_IPC.traffic);
    // Only the final response the page's fetch() got; never a cookie the browser kept from it.
    expect(
      toPage.map((m) => (m.args[0] as { exchange: { request: { url: string } } }).exchange.request.url),
    ).toEqual([items[2]!.url]);
    expect(JSON.stringify(toPage)).not.toMatch(/hx-refresh|hx-step|set-cookie/i);
  });

  it('retries the capture until Network.enable works, and re-attaches after a detach', async () => {
    await app.op('cdpScript', { method: 'Network.enable', fail: 2, message: 'Not allowed' });
    const before = (await app.state()).contents.map((c) => c.id);
    await app.call('projects.openApp', { project, url: dev.url });
    const [view] = await waitUntil(
      () => newest(app, before),
      (list) =>
        list.length === 1 && list[0]!.debugger.commands.filter((m) => m === 'Network.enable').length === 3,
      'Network.enable to be retried until it works',
      15_000,
    );
    expect(view!.debugger.attached).toBe(true);
    expect(view!.debugger.commands.at(-1)).toBe('Page.getFrameTree');
    expect(app.stderr()).toContain('could not start (Not allowed)');
  });

  it('shows why the app did not load, instead of a blank window', async () => {
    const before = (await app.state()).contents.map((c) => c.id);
    const url = `http://127.0.0.1:${await closedPort()}/`;
    await app.call('projects.openApp', { project, url });
    const [view] = await waitUntil(
      () => newest(app, before),
      (list) => list.length === 1 && list[0]!.url.startsWith('data:text/html'),
      'the failure page',
      10_000,
    );
    const page = decodeURIComponent(view!.url.slice(view!.url.indexOf(',') + 1));
    expect(page).toContain('ERR_CONNECTION_REFUSED');
    expect(page).toContain(`href="${url}"`);
  });

  it('limits the wrapped window’s reports like the overlay socket (burst 200, then 50/s)', async () => {
    const state = await app.state();
    const view = state.contents.find((c) => c.partition.startsWith('persist:app-') && !c.destroyed)!;
    const navigations = async () =>
      (await app.state()).contents[0]!.sent.filter(
        (m) => m.channel === 'hexclave:event' && m.args[0] === 'app.navigate',
      ).length;
    const already = await navigations();
    await app.op('send', {
      contents: view.id,
      channel: OVERLAY_IPC.report,
      args: [{ type: 'focus', seq: 1 }],
      frame: { url: view.url },
      times: 500,
    });
    const focused = (await navigations()) - already;
    expect(focused).toBeGreaterThanOrEqual(200);
    expect(focused).toBeLessThan(215);
    expect(app.stderr()).toContain('reports a second; dropping the excess');
  });

  it('without a keyring (Linux basic_text), says so and keeps secrets in a 0600 file', async () => {
    const { secretStore } = await app.call<{ secretStore: { kind: string; warning: string | null } }>(
      'projects.list',
      {},
    );
    expect(secretStore.kind).toBe('file');
    expect(secretStore.warning).toMatch(/no keyring/i);
  });

  it('quits only after every project has stopped (its Postgres is gone before the app goes)', async () => {
    await waitUntil(
      () =>
        app.call<{ projects: { id: string; runtime: { state: string; message: string | null } }[] }>(
          'projects.list',
          {},
        ),
      (r) => r.projects.find((p) => p.id === project)?.runtime.state === 'running',
      'the emulator project to run',
      120_000,
    );
    const pids = findPostmasterPids(app.home);
    expect(pids.length).toBeGreaterThan(0);
    await app.op('quit', { pids });
    const exit = await app.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(app.events.find((e) => e.event === 'will-quit')).toEqual({ event: 'will-quit', alive: [] });
    const timeline = (app.events.find((e) => e.event === 'exit')!.timeline as { what: string }[]).map(
      (t) => t.what,
    );
    expect(timeline).toEqual([
      'quit requested',
      'before-quit prevented',
      'quit requested',
      'will-quit',
      'quit',
    ]);
  }, 180_000);
});

describe('a signal to the app (Ctrl+C in npm start, stand-in electron)', () => {
  let app: StandInApp;
  beforeAll(async () => {
    app = await startStandInApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('SIGTERM stops every project the way serve does, then exits 0 with nothing left running', async () => {
    const project = (await app.call<{ id: string }>('projects.create', { kind: 'emulator', seedUsers: 0 }))
      .id;
    await waitUntil(
      () => app.call<{ projects: { id: string; runtime: { state: string } }[] }>('projects.list', {}),
      (r) => r.projects.find((p) => p.id === project)?.runtime.state === 'running',
      'the emulator project to run',
      120_000,
    );
    const pids = findPostmasterPids(app.home);
    expect(pids.length).toBeGreaterThan(0);
    app.kill('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.stderr()).toContain('Received SIGTERM; stopping…');
    expect(app.stderr()).toContain('Stopped.');
    expect(pids.filter(isAlive)).toEqual([]);
  }, 180_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function findPostmasterPids(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'postmaster.pid') pids.push(Number(readFileSync(path, 'utf8').split('\n')[0]));
    else if (statSync(path).isDirectory()) pids.push(...findPostmasterPids(path));
  }
  return pids;
}

describe('one app per data folder, and macOS’s window lifecycle (stand-in electron)', () => {
  const database = useTestDatabase('standin_mac');
  let first: StandInApp;
  beforeAll(async () => {
    first = await startStandInApp({
      env: { STANDIN_PLATFORM: 'darwin', STANDIN_KEYRING: 'gnome_libsecret' },
    });
  });
  afterAll(async () => {
    await first?.close();
  });

  it('a second start on the same data folder leaves at once, and the first one comes to the front', async () => {
    const second = await startStandInApp({ home: first.home });
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.stderr()).toContain('already running');
    expect(second.events.some((e) => e.event === 'started' && e.ready)).toBe(false);
    await second.close();
    await first.op('secondInstance');
    expect((await first.state()).windows.filter((w) => !w.destroyed && w.visible)).toHaveLength(1);
  });

  it('with a keyring, seals secrets with it and warns about nothing', async () => {
    const { secretStore } = await first.call<{ secretStore: unknown }>('projects.list', {});
    expect(secretStore).toEqual({ kind: 'safe-storage', warning: null });
  });

  it('macOS: closing the window keeps the app; the dock and the overlay bring a new window, never a destroyed one', async () => {
    const project = (
      await first.call<{ id: string }>('projects.create', {
        kind: 'connected',
        apiUrl: 'http://127.0.0.1:9/',
        projectId: '0b5f0c1e-5d1a-4c3e-9b7a-1f2e3d4c5b6a',
        mirrorDatabaseUrl: database().url,
      })
    ).id;
    const dev = await devServer();
    try {
      const before = (await first.state()).contents.map((c) => c.id);
      await first.call('projects.openApp', { project, url: dev.url });
      const [view] = await waitUntil(
        () => newest(first, before),
        (list) => list.length === 1 && list[0]!.url === dev.url,
        'the app window',
        10_000,
      );
      await first.op('closeWindow', { id: 1 });
      let state = await first.state();
      expect(state.windows.find((w) => w.id === 1)!.destroyed).toBe(true);
      expect(first.events.some((e) => e.event === 'exit')).toBe(false);

      // The overlay's "show in the companion" with no companion window: a new one, on that exchange.
      await first.op('send', {
        contents: view!.id,
        channel: OVERLAY_IPC.report,
        args: [{ type: 'focus', seq: 7 }],
        frame: { url: dev.url },
      });
      state = await waitUntil(
        () => first.state(),
        (s) => s.windows.some((w) => w.type === 'BrowserWindow' && !w.destroyed && w.visible),
        'a new companion window',
        10_000,
      );
      const reopened = state.windows.find((w) => w.type === 'BrowserWindow' && !w.destroyed)!;
      const contents = state.contents.find((c) => c.id === reopened.contents[0])!;
      await waitUntil(
        () => first.state().then((s) => s.contents.find((c) => c.id === contents.id)!.sent),
        (sent) => sent.some((m) => m.args[0] === 'app.navigate' && JSON.stringify(m.args[1]).includes('"7"')),
        'the new window to be sent to the exchange',
        10_000,
      );
      // The dock icon with a window open brings that one, not another.
      await first.op('activate');
      expect(
        (await first.state()).windows.filter((w) => w.type === 'BrowserWindow' && !w.destroyed),
      ).toHaveLength(1);
      expect(first.stderr()).not.toContain('Object has been destroyed');
    } finally {
      await dev.close();
    }
  });
});
