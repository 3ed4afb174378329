// Runs a built Electron main bundle in plain Node on the stand-in `electron` module and lets a test play the
// parts Electron and the renderers would: requests arrive as IPC messages from the parent process (see
// test/helpers/electron-stand-in.ts), each answered with { id, ok, result | error }.
//   node --import ./test/fakes/electron/register.mjs ./test/fakes/electron/driver.mjs out/main/index.js
// Environment: STANDIN_PLATFORM (pretend to be darwin/win32), STANDIN_KEYRING, STANDIN_USER_DATA.
import { pathToFileURL } from 'node:url';
import { __standIn, app, BrowserWindow, ipcMain } from 'electron';

if (process.env.STANDIN_PLATFORM)
  Object.defineProperty(process, 'platform', { value: process.env.STANDIN_PLATFORM });

const { state, ElectronEvent } = __standIn;
const send = (message) =>
  new Promise((resolve) => (process.connected ? process.send(message, resolve) : resolve()));

let exiting = false;
state.exit = (code) => {
  exiting = true;
  void send({ event: 'exit', code, timeline: state.timeline }).finally(() => process.exit(code));
};
/** Pids the test wants checked at the moment the app would go away (`quit` with `probePids`). */
let probePids = [];
state.onWillQuit = () => {
  const alive = probePids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  void send({ event: 'will-quit', alive });
};

const contentsOf = (id) => {
  const contents = state.webContents.get(id);
  if (!contents) throw new Error(`no web contents ${id}`);
  return contents;
};

const plain = (value) => JSON.parse(JSON.stringify(value, (key, v) => (key === 'session' ? undefined : v)));

function describe() {
  return {
    ready: state.ready,
    privilegedSchemes: state.privilegedSchemes,
    handledSchemes: state.protocols.flatMap((p) =>
      [...p.handlers.keys()].map((scheme) => ({ partition: p.owner?.partition ?? '', scheme })),
    ),
    dialogs: state.dialogs,
    timeline: state.timeline,
    windows: [...state.windows.values()].map((w) => ({
      id: w.id,
      type: w instanceof BrowserWindow ? 'BrowserWindow' : 'BaseWindow',
      options: plain(w.options),
      destroyed: w.isDestroyed(),
      visible: w.isDestroyed() ? false : w.isVisible(),
      contents: w.ownedContents().map((c) => c.id),
    })),
    contents: [...state.webContents.values()].map((c) => ({
      id: c.id,
      url: c.url,
      destroyed: c.isDestroyed(),
      partition: c.session.partition,
      webPreferences: plain(c.webPreferences),
      windowOpenHandler: c.windowOpenHandler !== null,
      debugger: { attached: c.debugger.isAttached(), commands: c.debugger.commands.map((m) => m.method) },
      sent: c.sent,
    })),
  };
}

function ipcEvent(contents, frame) {
  const senderFrame = {
    url: frame?.url ?? contents.url,
    parent: frame?.top === false ? { url: contents.url } : null,
    routingId: 1,
    processId: 1,
  };
  return { sender: contents, senderFrame, frameId: 1, processId: 1, returnValue: undefined };
}

const ops = {
  state: () => describe(),
  async invoke({ contents, channel, args = [], frame }) {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(ipcEvent(contentsOf(contents), frame), ...args);
  },
  send({ contents, channel, args = [], frame, times = 1 }) {
    for (let i = 0; i < times; i++) ipcMain.emit(channel, ipcEvent(contentsOf(contents), frame), ...args);
    return null;
  },
  navigate({ contents, url, isMainFrame = true, redirect = false }) {
    const target = contentsOf(contents);
    const details = () =>
      new ElectronEvent({ url, isMainFrame, isSameDocument: false, frame: null, initiator: null });
    if (redirect) {
      const event = details();
      target.emit('will-redirect', event, url, false, isMainFrame, 1, 1);
      return { prevented: event.defaultPrevented };
    }
    const frameEvent = details();
    target.emit('will-frame-navigate', frameEvent);
    if (frameEvent.defaultPrevented) return { prevented: true };
    if (!isMainFrame) return { prevented: false };
    const event = details();
    target.emit('will-navigate', event, url, false, true, 1, 1);
    return { prevented: event.defaultPrevented };
  },
  windowOpen({ contents, url }) {
    const handler = contentsOf(contents).windowOpenHandler;
    if (!handler) return { action: 'allow' };
    return handler({
      url,
      frameName: '',
      features: '',
      disposition: 'foreground-tab',
      referrer: { url: '', policy: 'default' },
    });
  },
  attachWebview({ contents }) {
    const event = new ElectronEvent();
    contentsOf(contents).emit('will-attach-webview', event, {}, { src: 'https://example.com/' });
    return { prevented: event.defaultPrevented };
  },
  permission({ contents, permission }) {
    const target = contentsOf(contents);
    const { permissionRequestHandler, permissionCheckHandler } = target.session;
    return new Promise((resolve) => {
      if (!permissionRequestHandler) resolve({ request: true, check: permissionCheckHandler === null });
      else
        permissionRequestHandler(target, permission, (granted) =>
          resolve({
            request: granted,
            check: permissionCheckHandler?.(target, permission, target.url, {}) ?? true,
          }),
        );
    });
  },
  async fetch({ url }) {
    const scheme = new URL(url).protocol.slice(0, -1);
    // The module-level protocol: the default session's, where the companion's UI is served.
    const handler = state.protocols.find((p) => p.owner === null)?.handlers.get(scheme);
    if (!handler) throw new Error(`no handler for ${scheme}`);
    const response = await handler(new Request(url));
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    };
  },
  cdp({ contents, events }) {
    const target = contentsOf(contents);
    for (const { method, params } of events)
      target.debugger.emit('message', new ElectronEvent(), method, params, '');
    return null;
  },
  cdpScript({ method, fail, message, answers, mainFrameId }) {
    if (mainFrameId) state.mainFrameId = mainFrameId;
    if (fail !== undefined) state.cdpScript.set(method, { fail, message });
    if (answers)
      state.cdpScript.set(
        method,
        ({ requestId }) => answers[requestId] ?? { body: '', base64Encoded: false },
      );
    return null;
  },
  detachDebugger({ contents, reason }) {
    contentsOf(contents).debugger.detachedByBrowser(reason);
    return null;
  },
  crash({ contents, reason = 'crashed' }) {
    contentsOf(contents).emit('render-process-gone', new ElectronEvent(), { reason, exitCode: 139 });
    return null;
  },
  stray() {
    return __standIn.strayWebContents().id;
  },
  closeWindow({ id }) {
    state.windows.get(id).close();
    return null;
  },
  activate() {
    app.emit('activate', new ElectronEvent(), false);
    return null;
  },
  secondInstance() {
    app.emit('second-instance', new ElectronEvent(), ['electron', '.'], process.cwd(), {});
    return null;
  },
  quit({ pids = [] } = {}) {
    probePids = pids;
    app.quit();
    return null;
  },
};

process.on('message', async ({ id, op, input }) => {
  try {
    const result = await ops[op](input ?? {});
    await send({ id, ok: true, result: result === undefined ? null : plain(result) });
  } catch (error) {
    await send({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});

const main = process.argv[2];
if (!main) throw new Error('usage: driver.mjs <built main bundle>');
await import(pathToFileURL(main).href);
// Electron emits ready once the main script's first turn is done.
setImmediate(() => {
  if (!exiting) __standIn.emitReady();
  void send({ event: 'started', ready: state.ready });
});
