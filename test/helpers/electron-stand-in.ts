import { type ChildProcess, fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../main/package-root.js';
import { IPC_RPC_CHANNEL } from '../../shared/api/index.js';
import { postgresTempDir } from './temp-dir.js';
import { waitUntil } from './wait.js';

// The built Electron main process (out/main/index.js) in plain Node on the stand-in `electron` module
// (test/fakes/electron): the test plays Electron and the renderers through the driver's operations.

const root = packageRoot();
const fakes = join(root, 'test', 'fakes', 'electron');

/** The web contents the driver describes (test/fakes/electron/driver.mjs `describe()`). */
export interface StandInContents {
  readonly id: number;
  readonly url: string;
  readonly destroyed: boolean;
  readonly partition: string;
  readonly webPreferences: Record<string, unknown>;
  readonly windowOpenHandler: boolean;
  readonly debugger: { attached: boolean; commands: string[] };
  readonly sent: { channel: string; args: unknown[] }[];
}

export interface StandInWindow {
  readonly id: number;
  readonly type: 'BrowserWindow' | 'BaseWindow';
  readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> };
  readonly destroyed: boolean;
  readonly visible: boolean;
  readonly contents: number[];
}

export interface StandInState {
  readonly ready: boolean;
  readonly privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[];
  readonly handledSchemes: { partition: string; scheme: string }[];
  readonly dialogs: { title: string; content: string }[];
  readonly timeline: { what: string; at: number }[];
  readonly windows: StandInWindow[];
  readonly contents: StandInContents[];
}

/** A frame of a web contents sending IPC: its URL and whether it is the main frame. */
export interface Frame {
  readonly url?: string;
  readonly top?: boolean;
}

export interface DriverEvent {
  readonly event: 'started' | 'will-quit' | 'exit';
  readonly [key: string]: unknown;
}

export interface StandInApp {
  readonly home: string;
  readonly events: DriverEvent[];
  op<T = unknown>(op: string, input?: Record<string, unknown>): Promise<T>;
  state(): Promise<StandInState>;
  /** `hexclave:rpc` from the companion window (contents 1) or another contents/frame; the raw IPC reply. */
  rpc(method: string, input: unknown, from?: { contents?: number; frame?: Frame }): Promise<RpcReply>;
  /** Call the typed API as the companion's own UI; throws on an error reply. */
  call<T = unknown>(method: string, input: unknown): Promise<T>;
  stderr(): string;
  /** Send the process a signal, as a terminal or `npm start` would. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  close(): Promise<void>;
}

export interface RpcReply {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { name: string; message: string };
}

export const COMPANION_URL = 'hexclave-companion://app/index.html';

export interface StartOptions {
  /** Reuse an app-data folder (a second instance); default: a fresh one, removed on close. */
  readonly home?: string;
  readonly env?: Record<string, string>;
}

export async function startStandInApp(options: StartOptions = {}): Promise<StandInApp> {
  const home = options.home ?? postgresTempDir('companion-standin-');
  const ownsHome = options.home === undefined;
  let stderr = '';
  const events: DriverEvent[] = [];
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 0;
  const child: ChildProcess = fork(join(fakes, 'driver.mjs'), [join(root, 'out', 'main', 'index.js')], {
    execArgv: ['--import', join(fakes, 'register.mjs')],
    env: { ...process.env, HEXCLAVE_COMPANION_HOME: home, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (chunk) => (stderr += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const { reject } of pending.values()) reject(new Error(`the app exited (${code ?? signal})`));
      pending.clear();
      resolve({ code, signal });
    }),
  );
  child.on('message', (message: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
    if (message.id === undefined) {
      events.push(message as unknown as DriverEvent);
      return;
    }
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiting?.resolve(message.result);
    else waiting?.reject(new Error(message.error));
  });

  const op = <T>(name: string, input: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error(`the app has exited; stderr:\n${stderr}`));
        return;
      }
      const id = ++next;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op: name, input });
    });
  const rpc = (method: string, input: unknown, from: { contents?: number; frame?: Frame } = {}) =>
    op<RpcReply>('invoke', {
      contents: from.contents ?? 1,
      channel: IPC_RPC_CHANNEL,
      args: [method, input],
      frame: from.frame ?? { url: COMPANION_URL, top: true },
    });

  await waitUntil(
    () => events.some((e) => e.event === 'started' || e.event === 'exit') || child.exitCode !== null,
    Boolean,
    `the stand-in app to start (stderr: ${stderr})`,
    30_000,
  );
  return {
    home,
    events,
    op,
    state: () => op<StandInState>('state'),
    rpc,
    async call<T>(method: string, input: unknown) {
      const reply = await rpc(method, input);
      if (!reply.ok) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
      return reply.result as T;
    },
    stderr: () => stderr,
    kill: (signal) => child.kill(signal),
    exited,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        await op('quit').catch(() => {});
        const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
        await exited;
        clearTimeout(timeout);
      }
      if (ownsHome) rmSync(home, { recursive: true, force: true });
    },
  };
}
