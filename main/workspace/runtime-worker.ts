import { setPriority } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { redactSecretsInText } from '../../shared/redact.js';
import { type RunningEmulator, startEmulator } from '../emulator/index.js';
import { runShutdown } from '../lifecycle/index.js';
import { createMirrorReaderRole, MIRROR_READER_ROLE } from '../mirror/index.js';
import {
  closeDatabasesToPublic,
  clusterRolePassword,
  ensureDatabase,
  startEmbeddedPostgres,
} from '../postgres/index.js';
import { type CaptureProxy, startCaptureProxy } from '../proxy/index.js';
import { type SyncEngine, type SyncSourceOptions, startSyncEngine } from '../sync/index.js';
import type { MainMessage, RuntimeConfig, RuntimeReady, WorkerMessage } from './runtime-protocol.js';

/**
 * One project's background services — emulator, sync engine, capture proxy — in a worker thread, so a large
 * backfill never competes with the UI or the main process's event loop.
 */

// A backfill must never take the CPU from the UI on a small machine. On Linux a nice value belongs to the thread
// (and is inherited by what it spawns, i.e. the project's Postgres), so this lowers only this worker's work.
if (process.platform === 'linux') {
  try {
    setPriority(10);
  } catch {
    // Not permitted in some containers; the worker still runs, at normal priority.
  }
}

const config = workerData.config as RuntimeConfig;
const port = parentPort!;
const STATUS_INTERVAL_MS = 100;
export const MIRROR_DATABASE = 'hexclave_mirror';

function post(message: WorkerMessage): void {
  port.postMessage(message);
}

const stops: Array<() => Promise<void>> = [];
let engine: SyncEngine | null = null;
/** Set by `stop`: a startup failing because it was stopped is not reported as `failed`. */
let stopping = false;

function adminUrlOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

async function start(): Promise<RuntimeReady> {
  let emulator: RunningEmulator | null = null;
  if (config.emulator) {
    emulator = await startEmulator({
      dataDir: join(config.dataDir, 'postgres'),
      compat: config.emulator.compat,
      ...(config.emulator.seedUsers ? { seedUsers: config.emulator.seedUsers } : {}),
    });
    stops.unshift(() => emulator!.stop());
  }

  let mirrorUrl = config.mirrorUrl;
  // The read-only surfaces (Mirror console, MCP) connect as a role that can only read the mirror; in our own
  // clusters we create it, with a random password kept beside the superuser's.
  let mirrorReaderUrl: string | null = null;
  const ownMirror = async (adminUrl: string, clusterDir: string) => {
    const url = await ensureDatabase(adminUrl, MIRROR_DATABASE);
    const password = clusterRolePassword(clusterDir, MIRROR_READER_ROLE);
    mirrorReaderUrl = (await createMirrorReaderRole(url, { schema: 'public', password })).url;
    // No database of the cluster (the emulator's internal one included) admits a role it was not granted to.
    await closeDatabasesToPublic(adminUrl);
    return url;
  };
  if (!mirrorUrl && emulator) {
    // The emulator's cluster hosts the mirror too, in its own database: one Postgres server per emulator project.
    mirrorUrl = await ownMirror(adminUrlOf(emulator.internalDatabaseUrl), join(config.dataDir, 'postgres'));
  } else if (!mirrorUrl) {
    const server = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'mirror') });
    stops.push(() => server.stop());
    mirrorUrl = await ownMirror(server.adminUrl, server.dataDir);
  }

  const source: SyncSourceOptions | null =
    config.source?.kind === 'emulator' && emulator
      ? { kind: 'database', url: emulator.internalDatabaseUrl }
      : config.source?.kind === 'database'
        ? { kind: 'database', url: config.source.url }
        : config.source?.kind === 'api'
          ? {
              kind: 'api',
              apiUrl: config.source.apiUrl,
              projectId: config.source.projectId,
              secretServerKey: config.source.secretServerKey,
            }
          : null;
  if (source) {
    engine = await startSyncEngine({
      source,
      targets: [{ url: mirrorUrl, id: 'mirror' }],
      onEvent: (event) => post({ type: 'sync-event', event }),
    });
    // Sync engine stops before the databases it talks to.
    stops.unshift(() => engine!.stop());
    const timer = setInterval(() => {
      if (engine) post({ type: 'status', status: engine.status() });
    }, STATUS_INTERVAL_MS);
    stops.unshift(async () => clearInterval(timer));
  }

  const proxyTarget = config.proxyTarget ?? emulator?.apiUrl ?? null;
  let proxy: CaptureProxy | null = null;
  if (proxyTarget) {
    proxy = await startCaptureProxy({ target: proxyTarget, capacity: 1000, expectedMode: 'unknown' });
    proxy.onExchange((captured) =>
      post({
        type: 'exchange',
        exchange: captured.exchange,
        attribution: captured.attribution,
        findings: captured.findings,
      }),
    );
    stops.unshift(() => proxy!.stop());
  }

  return {
    apiUrl: emulator?.apiUrl ?? config.proxyTarget,
    proxyUrl: proxy?.url ?? null,
    mirrorUrl,
    mirrorReaderUrl,
    emulator: emulator
      ? {
          projectId: emulator.projectId,
          publishableClientKey: emulator.publishableClientKey,
          secretServerKey: emulator.secretServerKey,
          superSecretAdminKey: emulator.superSecretAdminKey,
          internalDatabaseUrl: emulator.internalDatabaseUrl,
        }
      : null,
  };
}

async function stopAll(): Promise<void> {
  for (const stop of stops.splice(0)) {
    try {
      await stop();
    } catch {
      // Keep stopping the rest; the process is going away.
    }
  }
}

port.on('message', async (message: MainMessage) => {
  if (message.type === 'start') {
    begin();
    return;
  }
  if (message.type === 'stop') {
    stopping = true;
    await stopAll();
    // Whatever is still starting (initdb, a postmaster not yet ready) registered itself with main/lifecycle.
    await runShutdown();
    post({ type: 'stopped' });
    return;
  }
  try {
    if (!engine) throw new Error('This project has no sync source configured.');
    if (message.type === 'set-stage') {
      engine.setStage(message.stage, message.enabled);
      post({ type: 'reply', id: message.id, ok: true, value: engine.status().fusebox });
    } else if (message.type === 'sync-now') {
      const result = await engine.syncNow();
      const rowsApplied = result.mappings.reduce((sum, m) => sum + m.rowsApplied, 0);
      post({ type: 'reply', id: message.id, ok: true, value: { seconds: result.seconds, rowsApplied } });
    }
  } catch (error) {
    const text = redactSecretsInText(error instanceof Error ? error.message : String(error));
    post({ type: 'reply', id: message.id, ok: false, error: text });
  }
});

function begin(): void {
  start().then(
    (ready) => {
      if (!stopping) post({ type: 'ready', ready });
    },
    async (error) => {
      if (stopping) return;
      await stopAll();
      post({
        type: 'failed',
        message: redactSecretsInText(error instanceof Error ? error.message : String(error)),
      });
    },
  );
}

// Nothing starts until main says so: a project stopped before this point is simply terminated.
post({ type: 'loaded' });
