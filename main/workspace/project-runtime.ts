import { Worker } from 'node:worker_threads';
import type { RuntimeState, SyncSample } from '../../shared/api/workspace-schemas.js';
import type { SyncEvent, SyncStage, SyncStatus } from '../../shared/sync/index.js';
import type { TrafficHub } from '../traffic/index.js';
import type { MainMessage, RuntimeConfig, RuntimeReady, WorkerMessage } from './runtime-protocol.js';
import { SampleHistory, sampleOf } from './sync-samples.js';

export interface RuntimeListener {
  state(state: RuntimeState): void;
  status(status: SyncStatus, sample: SyncSample): void;
  event(event: SyncEvent): void;
}

const MAX_ERRORS = 50;

interface RuntimeError {
  readonly at: number;
  readonly stage: string;
  readonly target: string | null;
  readonly message: string;
}

type Request =
  | { readonly type: 'set-stage'; readonly stage: SyncStage; readonly enabled: boolean }
  | { readonly type: 'sync-now' };

/** Start the worker: compiled next to the main bundle, or the TypeScript entry through tsx in a source checkout. */
function spawnWorker(config: RuntimeConfig): Worker {
  const here = import.meta.url;
  const options = { workerData: { config } };
  if (here.endsWith('.ts')) {
    const entry = new URL(`./${'runtime-worker.ts'}`, here).href;
    return new Worker(new URL(`./${'worker-bootstrap.mjs'}`, here), {
      workerData: { ...options.workerData, entry },
    });
  }
  return new Worker(new URL(`./${'runtime-worker.js'}`, here), options);
}

/** Main-thread handle of one project's runtime worker: its state, live status, history and traffic. */
export class ProjectRuntime {
  private worker: Worker | null = null;
  private current: RuntimeState = {
    state: 'stopped',
    message: null,
    apiUrl: null,
    proxyUrl: null,
    startedAtMillis: null,
  };
  private latest: SyncStatus | null = null;
  private readonly history = new SampleHistory();
  private readonly errors: RuntimeError[] = [];
  private nextReply = 1;
  /** The worker's code is loaded and it was told to start: from then on only it can stop what it started. */
  private loaded = false;
  /** Resolves the pending `start()` (a stop while starting ends it too). */
  private settleStart: ((state: RuntimeState) => void) | null = null;
  private readonly replies = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  ready: RuntimeReady | null = null;

  constructor(
    private readonly config: RuntimeConfig,
    readonly traffic: TrafficHub,
    private readonly listener: RuntimeListener,
  ) {}

  get state(): RuntimeState {
    return this.current;
  }

  status(): { status: SyncStatus | null; samples: SyncSample[]; errors: RuntimeError[] } {
    return { status: this.latest, samples: this.history.list(), errors: [...this.errors] };
  }

  private setState(next: Partial<RuntimeState>): void {
    this.current = { ...this.current, ...next };
    this.listener.state(this.current);
  }

  /** Resolves once the services are up (or rejects with the reason they could not start). */
  start(onReady: (ready: RuntimeReady) => void): Promise<RuntimeState> {
    if (this.worker) return Promise.resolve(this.current);
    this.setState({ state: 'starting', message: 'Starting Postgres, the emulator and the sync engine…' });
    const worker = spawnWorker(this.config);
    this.worker = worker;
    this.loaded = false;
    return new Promise((settle) => {
      const resolve = (state: RuntimeState) => {
        this.settleStart = null;
        settle(state);
      };
      this.settleStart = resolve;
      worker.on('message', (message: WorkerMessage) => {
        // A worker being stopped (or replaced by a newer start) no longer speaks for this project.
        if (this.worker !== worker && message.type !== 'stopped') return;
        switch (message.type) {
          case 'loaded':
            this.loaded = true;
            worker.postMessage({ type: 'start' } satisfies MainMessage);
            break;
          case 'ready':
            this.ready = message.ready;
            onReady(message.ready);
            this.setState({
              state: 'running',
              message: null,
              apiUrl: message.ready.apiUrl,
              proxyUrl: message.ready.proxyUrl,
              startedAtMillis: Date.now(),
            });
            resolve(this.current);
            break;
          case 'failed':
            this.setState({ state: 'failed', message: message.message });
            void worker.terminate();
            this.worker = null;
            resolve(this.current);
            break;
          case 'status': {
            this.latest = message.status;
            const sample = sampleOf(message.status);
            this.history.add(sample);
            this.listener.status(message.status, sample);
            break;
          }
          case 'sync-event':
            if (message.event.type === 'error') {
              this.errors.push({
                at: message.event.at,
                stage: message.event.stage,
                target: message.event.target,
                message: message.event.message,
              });
              if (this.errors.length > MAX_ERRORS) this.errors.shift();
            }
            this.listener.event(message.event);
            break;
          case 'exchange':
            this.traffic.record({
              source: 'proxy',
              exchange: message.exchange,
              attribution: message.attribution,
              findings: message.findings,
            });
            break;
          case 'reply': {
            const pending = this.replies.get(message.id);
            this.replies.delete(message.id);
            if (message.ok) pending?.resolve(message.value);
            else pending?.reject(new Error(message.error ?? 'The runtime refused the request.'));
            break;
          }
          case 'stopped':
            break;
        }
      });
      worker.on('error', (error) => {
        if (this.worker !== worker) return;
        this.setState({ state: 'failed', message: `The project runtime crashed: ${error.message}` });
        this.worker = null;
        resolve(this.current);
      });
      worker.on('exit', () => {
        if (this.worker !== worker) return;
        this.worker = null;
        for (const pending of this.replies.values())
          pending.reject(new Error('The project runtime stopped.'));
        this.replies.clear();
        if (this.current.state === 'running' || this.current.state === 'starting') {
          this.setState({ state: 'stopped', message: null, proxyUrl: null });
        }
      });
    });
  }

  private request<T>(message: Request): Promise<T> {
    if (!this.worker) return Promise.reject(new Error('This project is not running. Start it first.'));
    const id = this.nextReply++;
    return new Promise<T>((resolve, reject) => {
      this.replies.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker!.postMessage({ ...message, id } as MainMessage);
    });
  }

  setStage(stage: SyncStage, enabled: boolean): Promise<Record<string, boolean>> {
    return this.request({ type: 'set-stage', stage, enabled });
  }

  syncNow(): Promise<{ seconds: number; rowsApplied: number }> {
    return this.request({ type: 'sync-now' });
  }

  /**
   * Ask the worker to stop its services in order (sync, proxy, emulator, Postgres), then end the thread. A worker
   * still loading has started nothing and is simply ended; one still starting stops what it has started so far.
   */
  async stop(): Promise<RuntimeState> {
    const worker = this.worker;
    if (!worker) return this.current;
    this.worker = null;
    if (!this.loaded) {
      await worker.terminate();
      this.stopped();
      return this.current;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 15_000);
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'stopped') {
          clearTimeout(timer);
          resolve();
        }
      });
      worker.postMessage({ type: 'stop' } satisfies MainMessage);
    });
    await worker.terminate();
    this.stopped();
    return this.current;
  }

  private stopped(): void {
    for (const pending of this.replies.values()) pending.reject(new Error('The project runtime stopped.'));
    this.replies.clear();
    this.setState({ state: 'stopped', message: null, proxyUrl: null, startedAtMillis: null });
    this.settleStart?.(this.current);
  }
}
