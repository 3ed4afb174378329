import { afterAll, beforeAll } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../main/emulator/index.js';
import { type Family, requestHeaderName } from '../../shared/registry/index.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export interface TestEmulator extends RunningEmulator {
  /** The fresh database the emulator runs on (dropped by `stop`). */
  readonly database: TestDatabase;
}

export type TestEmulatorOptions = Omit<EmulatorOptions, 'databaseUrl' | 'dataDir' | 'ephemeral'> & {
  readonly label?: string;
};

/** A running emulator on a fresh database of the run's Postgres server; `stop()` also drops the database. */
export async function startTestEmulator(options: TestEmulatorOptions = {}): Promise<TestEmulator> {
  const { label, ...emulatorOptions } = options;
  const database = await createTestDatabase(label ?? `emulator_${options.compat ?? 'dual'}`);
  let running: RunningEmulator;
  try {
    running = await startEmulator({ ...emulatorOptions, databaseUrl: database.url });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...running,
    database,
    async stop() {
      await running.stop();
      await database.drop();
    },
  };
}

/** One emulator for the whole test file: started in beforeAll, stopped in afterAll. Read it inside a test. */
export function setupTestEmulator(options: TestEmulatorOptions = {}): () => TestEmulator {
  let emulator: TestEmulator | undefined;
  beforeAll(async () => {
    emulator = await startTestEmulator(options);
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  return () => {
    if (!emulator)
      throw new Error('setupTestEmulator(): the emulator starts in beforeAll; read it inside a test.');
    return emulator;
  };
}

export interface ApiHeaderOptions {
  readonly access?: 'client' | 'server' | 'admin';
  /** `stack` = what @stackframe/js 2.8.102 sends, `hexclave` = 2.8.108 (names from the registry). */
  readonly family?: Family;
  readonly accessToken?: string;
  readonly refreshToken?: string;
  /** Ask for 4xx → 200 + actual-status, as the SDKs always do. */
  readonly overrideErrorStatus?: boolean;
}

/** Request headers an SDK of the given family would send for `access` (with the matching project key). */
export function apiHeaders(
  emulator: RunningEmulator,
  options: ApiHeaderOptions = {},
): Record<string, string> {
  const family = options.family ?? 'stack';
  const access = options.access ?? 'client';
  const name = (id: string) => requestHeaderName(`header.${id}`, family);
  const headers: Record<string, string> = {
    [name('project-id')]: emulator.projectId,
    [name('access-type')]: access,
    [name('publishable-client-key')]: emulator.publishableClientKey,
    [name('allow-anonymous-user')]: 'true',
  };
  if (access === 'server') headers[name('secret-server-key')] = emulator.secretServerKey;
  if (access === 'admin') headers[name('super-secret-admin-key')] = emulator.superSecretAdminKey;
  if (options.accessToken) headers[name('access-token')] = options.accessToken;
  if (options.refreshToken) headers[name('refresh-token')] = options.refreshToken;
  if (options.overrideErrorStatus) headers[name('override-error-status')] = 'true';
  return headers;
}

/** `fetch` against the emulator's v1 API with `apiHeaders`; a JSON body is serialized and typed. */
export async function apiFetch(
  emulator: RunningEmulator,
  path: string,
  init: Omit<RequestInit, 'body' | 'headers'> &
    ApiHeaderOptions & { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const { access, family, accessToken, refreshToken, overrideErrorStatus, body, headers, ...rest } = init;
  const merged: Record<string, string> = {
    ...apiHeaders(emulator, { access, family, accessToken, refreshToken, overrideErrorStatus }),
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...headers,
  };
  return fetch(`${emulator.apiUrl}/api/v1${path}`, {
    ...rest,
    headers: merged,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
