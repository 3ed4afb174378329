// A stand-in for the `electron` module, so the built main process (out/main/index.js) runs in plain Node where
// the Electron binary cannot (see ./register.mjs and ./driver.mjs). It has only what the companion calls, with
// Electron 41's semantics where they matter to it:
//   - BrowserWindow, session, protocol.handle throw before `ready`; protocol.registerSchemesAsPrivileged after it.
//   - app.quit(): before-quit (preventable) → windows close → will-quit (preventable) → quit → exit; no
//     window-all-closed on that path. Closing the last window otherwise emits window-all-closed.
//   - app.requestSingleInstanceLock(): one holder per userData folder, across processes.
//   - ipcMain.handle: one handler per channel (a second one throws).
//   - every web contents is announced with app 'web-contents-created' while it is constructed.
//   - will-frame-navigate / will-navigate / will-redirect get an Event whose details carry url and isMainFrame
//     (the positional url after it is deprecated); preventDefault cancels the navigation.
//   - webContents.loadURL loads for real: a handled scheme through its protocol handler, http(s) with fetch, and
//     rejects (after did-fail-load) when the load fails; a newer load aborts an older one (-3).
//   - the debugger: one client at a time; commands fail when detached; scripted answers and failures.
//   - safeStorage on Linux: nothing before ready; with no keyring (`basic_text`) encryption is unavailable and
//     the backend is known only after the availability check (STANDIN_KEYRING=gnome_libsecret for a keyring).
//   - a destroyed window or web contents throws "Object has been destroyed" from its methods.
// `__standIn` (not Electron API) is how ./driver.mjs looks inside and plays the renderer's part.
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

class ElectronEvent {
  defaultPrevented = false;
  constructor(details = {}) {
    Object.assign(this, details);
  }
  preventDefault() {
    this.defaultPrevented = true;
  }
}

const state = {
  ready: false,
  privilegedSchemes: [],
  dialogs: [],
  timeline: [],
  webContents: new Map(),
  windows: new Map(),
  protocols: [],
  /** Debugger command answers/failures: method → { fail: n, message } | (params) => result */
  cdpScript: new Map(),
  mainFrameId: 'MAIN-FRAME',
  exit: (code) => process.exit(code),
  onWillQuit: () => {},
};

const mark = (what) => state.timeline.push({ what, at: Date.now() });
const destroyedError = () => new TypeError('Object has been destroyed');

function requireReady(what) {
  if (!state.ready) throw new Error(`${what} can only be used after the app is ready`);
}

// ---------------------------------------------------------------------------------------------------- app

class App extends EventEmitter {
  #paths = new Map([
    ['userData', process.env.STANDIN_USER_DATA ?? join(tmpdir(), 'standin-electron-user-data')],
  ]);
  #lockFile = null;
  #quitting = false;
  #readyPromise = new Promise((resolve) => this.once('ready', resolve));

  whenReady() {
    return this.#readyPromise;
  }
  isReady() {
    return state.ready;
  }
  getPath(name) {
    const path = this.#paths.get(name);
    if (!path) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  setPath(name, path) {
    this.#paths.set(name, path);
  }
  getName() {
    return 'Hexclave Companion';
  }
  getVersion() {
    return '0.0.0-stand-in';
  }
  requestSingleInstanceLock() {
    const dir = this.getPath('userData');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'SingletonLock');
    if (existsSync(file)) {
      const pid = Number(readFileSync(file, 'utf8'));
      try {
        if (pid !== process.pid) {
          process.kill(pid, 0);
          return false;
        }
      } catch {
        // A stale lock of a process that is gone.
      }
    }
    writeFileSync(file, String(process.pid));
    this.#lockFile = file;
    process.on('exit', () => this.releaseSingleInstanceLock());
    return true;
  }
  releaseSingleInstanceLock() {
    if (this.#lockFile) rmSync(this.#lockFile, { force: true });
    this.#lockFile = null;
  }
  quit() {
    if (this.#quitting) return;
    mark('quit requested');
    const beforeQuit = new ElectronEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) {
      mark('before-quit prevented');
      return;
    }
    this.#quitting = true;
    for (const window of [...state.windows.values()]) {
      if (!window.isDestroyed()) window.close();
    }
    if ([...state.windows.values()].some((w) => !w.isDestroyed())) {
      this.#quitting = false; // a window refused to close
      return;
    }
    const willQuit = new ElectronEvent();
    mark('will-quit');
    state.onWillQuit();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.#quitting = false;
      return;
    }
    mark('quit');
    this.emit('quit', new ElectronEvent(), 0);
    state.exit(0);
  }
  exit(code = 0) {
    mark(`exit(${code})`);
    state.exit(code);
  }
  focus() {}
  /** Called by a closing window: the last one closing (outside a quit) is window-all-closed. */
  windowClosed() {
    if (!this.#quitting && [...state.windows.values()].every((w) => w.isDestroyed())) {
      this.emit('window-all-closed');
    }
  }
}

export const app = new App();

// ------------------------------------------------------------------------------------------------ session

class Session extends EventEmitter {
  permissionRequestHandler = null;
  permissionCheckHandler = null;
  constructor(partition) {
    super();
    this.partition = partition;
    // The module-level `protocol` is the default session's.
    this.protocol = partition === '' ? defaultProtocol : new Protocol(this);
  }
  setPermissionRequestHandler(handler) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler) {
    this.permissionCheckHandler = handler;
  }
}

const sessions = new Map();
export const session = {
  get defaultSession() {
    requireReady('session.defaultSession');
    return session.fromPartition('');
  },
  fromPartition(partition) {
    requireReady('session.fromPartition');
    if (!sessions.has(partition)) sessions.set(partition, new Session(partition));
    return sessions.get(partition);
  },
};

// ----------------------------------------------------------------------------------------------- protocol

class Protocol {
  handlers = new Map();
  constructor(owner) {
    this.owner = owner;
    state.protocols.push(this);
  }
  registerSchemesAsPrivileged(schemes) {
    if (state.ready)
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    state.privilegedSchemes.push(...schemes);
  }
  handle(scheme, handler) {
    requireReady('protocol.handle');
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.handlers.set(scheme, handler);
  }
  unhandle(scheme) {
    this.handlers.delete(scheme);
  }
  isProtocolHandled(scheme) {
    return this.handlers.has(scheme);
  }
}

/** The default session's protocol, before the session itself may be touched. */
const defaultProtocol = new Protocol(null);
export const protocol = defaultProtocol;

function handlerFor(contents, scheme) {
  return contents.session.protocol.handlers.get(scheme);
}

// ------------------------------------------------------------------------------------------------ debugger

class Debugger extends EventEmitter {
  #attached = false;
  commands = [];
  attach(version) {
    if (this.#attached) throw new Error('Another debugger is already attached to this target.');
    this.version = version;
    this.#attached = true;
  }
  isAttached() {
    return this.#attached;
  }
  detach() {
    this.#attached = false;
  }
  /** The browser ended the session (DevTools took over, the renderer went away). */
  detachedByBrowser(reason) {
    this.#attached = false;
    this.emit('detach', new ElectronEvent(), reason);
  }
  async sendCommand(method, params = {}) {
    if (!this.#attached) throw new Error('No target available');
    this.commands.push({ method, params });
    const script = state.cdpScript.get(method);
    if (script && typeof script === 'object' && script.fail > 0) {
      script.fail--;
      throw new Error(script.message ?? `${method} failed`);
    }
    if (typeof script === 'function') return script(params);
    if (method === 'Page.getFrameTree') return { frameTree: { frame: { id: state.mainFrameId } } };
    return {};
  }
}

// -------------------------------------------------------------------------------------------- webContents

let nextContentsId = 1;

class WebContents extends EventEmitter {
  #destroyed = false;
  #loading = 0;
  url = '';
  windowOpenHandler = null;
  sent = [];

  constructor({ webPreferences = {}, owner }) {
    super();
    this.id = nextContentsId++;
    this.webPreferences = webPreferences;
    this.session = webPreferences.session ?? session.defaultSession;
    this.owner = owner;
    this.debugger = new Debugger();
    state.webContents.set(this.id, this);
    app.emit('web-contents-created', new ElectronEvent(), this);
  }
  #live() {
    if (this.#destroyed) throw destroyedError();
  }
  isDestroyed() {
    return this.#destroyed;
  }
  get mainFrame() {
    this.#live();
    return { url: this.url, parent: null, top: null, frameTreeNodeId: 1 };
  }
  getURL() {
    this.#live();
    return this.url;
  }
  setWindowOpenHandler(handler) {
    this.#live();
    this.windowOpenHandler = handler;
  }
  send(channel, ...args) {
    this.#live();
    this.sent.push({ channel, args: structuredClone(args) });
  }
  openDevTools() {}
  reload() {
    void this.loadURL(this.url).catch(() => {});
  }
  close() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.debugger.detach();
    this.emit('destroyed');
  }
  async loadURL(url) {
    this.#live();
    const load = ++this.#loading;
    const fail = (code, description) => {
      this.emit('did-fail-load', new ElectronEvent(), code, description, url, true, 0, 0);
      throw Object.assign(new Error(`${description} (${code}) loading '${url}'`), {
        code: description,
        errno: code,
      });
    };
    this.emit('did-start-loading');
    let scheme = '';
    try {
      scheme = new URL(url).protocol.slice(0, -1);
    } catch {
      fail(-300, 'ERR_INVALID_URL');
    }
    let outcome = null;
    try {
      const handler = handlerFor(this, scheme);
      if (handler) await handler(new Request(url));
      else if (scheme === 'http' || scheme === 'https')
        await fetch(url, { signal: AbortSignal.timeout(10_000) });
      else if (scheme === 'file') readFileSync(fileURLToPath(url));
      else if (scheme !== 'data' && scheme !== 'about') outcome = [-302, 'ERR_UNKNOWN_URL_SCHEME'];
    } catch (error) {
      const refused = /ECONNREFUSED/.test(String(error?.cause?.code ?? error?.code ?? error));
      outcome =
        scheme === 'file'
          ? [-6, 'ERR_FILE_NOT_FOUND']
          : refused
            ? [-102, 'ERR_CONNECTION_REFUSED']
            : [-2, 'ERR_FAILED'];
    }
    if (this.#destroyed) return;
    if (load !== this.#loading) fail(-3, 'ERR_ABORTED');
    if (outcome) fail(...outcome);
    this.url = url;
    this.emit('did-navigate', new ElectronEvent(), url, 200, 'OK');
    this.emit('did-finish-load', new ElectronEvent());
  }
  async loadFile(path) {
    const { pathToFileURL } = await import('node:url');
    return this.loadURL(pathToFileURL(path).toString());
  }
}

// -------------------------------------------------------------------------------------------------- windows

let nextWindowId = 1;

class BaseWindow extends EventEmitter {
  #destroyed = false;
  #visible;
  constructor(options = {}) {
    super();
    requireReady('BaseWindow');
    this.id = nextWindowId++;
    this.options = options;
    this.#visible = options.show !== false;
    this.views = [];
    this.contentView = { addChildView: (view) => this.views.push(view), children: this.views };
    state.windows.set(this.id, this);
  }
  _live() {
    if (this.#destroyed) throw destroyedError();
  }
  isDestroyed() {
    return this.#destroyed;
  }
  getContentBounds() {
    this._live();
    return { x: 0, y: 0, width: this.options.width ?? 800, height: this.options.height ?? 600 };
  }
  show() {
    this._live();
    this.#visible = true;
    this.emit('show');
  }
  hide() {
    this._live();
    this.#visible = false;
  }
  isVisible() {
    this._live();
    return this.#visible;
  }
  focus() {
    this._live();
  }
  isMinimized() {
    this._live();
    return false;
  }
  restore() {
    this._live();
  }
  close() {
    if (this.#destroyed) return;
    const event = new ElectronEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroy();
  }
  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const contents of this.ownedContents()) contents.close();
    this.emit('closed');
    app.windowClosed();
  }
  ownedContents() {
    return this.views.map((view) => view.webContents);
  }
  static getAllWindows() {
    return [...state.windows.values()].filter((w) => !w.isDestroyed());
  }
}

class BrowserWindow extends BaseWindow {
  constructor(options = {}) {
    super(options);
    this.webContents = new WebContents({ webPreferences: options.webPreferences ?? {}, owner: this });
    this.webContents.once('did-finish-load', () => {
      if (!this.isDestroyed()) this.emit('ready-to-show');
    });
  }
  ownedContents() {
    return [this.webContents, ...super.ownedContents()];
  }
  loadURL(url) {
    this._live();
    return this.webContents.loadURL(url);
  }
  loadFile(path) {
    this._live();
    return this.webContents.loadFile(path);
  }
  static fromWebContents(contents) {
    return [...state.windows.values()].find((w) => w.webContents === contents) ?? null;
  }
}

class WebContentsView {
  constructor({ webPreferences = {} } = {}) {
    requireReady('WebContentsView');
    this.webContents = new WebContents({ webPreferences, owner: this });
    this.bounds = null;
  }
  setBounds(bounds) {
    this.bounds = bounds;
  }
}

export { BaseWindow, BrowserWindow, WebContentsView };

// ------------------------------------------------------------------------------------------------ ipcMain

class IpcMain extends EventEmitter {
  handlers = new Map();
  handle(channel, handler) {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel) {
    this.handlers.delete(channel);
  }
}

export const ipcMain = new IpcMain();

// ------------------------------------------------------------------------------------------- safeStorage

const keyring = process.env.STANDIN_KEYRING ?? 'basic_text';
let backendSelected = false;
let usePlainText = false;

export const safeStorage = {
  isEncryptionAvailable() {
    if (!state.ready) return false;
    backendSelected = true;
    return keyring !== 'basic_text' || usePlainText;
  },
  getSelectedStorageBackend() {
    return state.ready && backendSelected ? keyring : 'unknown';
  },
  setUsePlainTextEncryption(value) {
    usePlainText = value;
  },
  encryptString(plain) {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error(
        'Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.',
      );
    }
    return Buffer.concat([Buffer.from('v11'), Buffer.from(plain).map((b) => b ^ 0x5a)]);
  },
  decryptString(sealed) {
    if (!safeStorage.isEncryptionAvailable()) throw new Error('Decryption is not available.');
    return Buffer.from(sealed.subarray(3).map((b) => b ^ 0x5a)).toString();
  },
};

// ------------------------------------------------------------------------------------------------- dialog

export const dialog = {
  showErrorBox(title, content) {
    state.dialogs.push({ title, content });
  },
};

// --------------------------------------------------------------------------------------- driver's access

export const __standIn = {
  state,
  ElectronEvent,
  /** What Electron does once the main script has run. */
  emitReady() {
    state.ready = true;
    app.emit('ready', new ElectronEvent(), {});
  },
  /** A web contents nobody asked for (e.g. something a page managed to create). */
  strayWebContents() {
    return new WebContents({ webPreferences: {}, owner: null });
  },
};

export default {
  app,
  session,
  protocol,
  ipcMain,
  safeStorage,
  dialog,
  BaseWindow,
  BrowserWindow,
  WebContentsView,
};
