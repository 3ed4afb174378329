import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncEngine, SyncStatusSchema, startSyncEngine } from '../../../main/sync/index.js';
import { apiFetch, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { FAST, mirrorDatabase, mirrorRows, onCleanup } from './helpers.js';

// The real emulator as both kinds of source: its internal database (change capture, NOTIFY), and its server API
// (for projects whose database is out of reach). Both mirrors must hold the same users rows.
let emulator: TestEmulator;
let viaDatabase: Awaited<ReturnType<typeof mirrorDatabase>>;
let viaApi: Awaited<ReturnType<typeof mirrorDatabase>>;
let databaseEngine: SyncEngine;
let apiEngine: SyncEngine;

const USER_COLUMNS = `id, display_name, profile_image_url, primary_email, primary_email_verified, signed_up_at,
  client_metadata, client_read_only_metadata, server_metadata, is_anonymous`;

beforeAll(async () => {
  emulator = await startTestEmulator({ seedUsers: 25, label: 'sync_emulator' });
  viaDatabase = await mirrorDatabase('sync_emu_db');
  viaApi = await mirrorDatabase('sync_emu_api');
  databaseEngine = await startSyncEngine({
    source: { kind: 'database', url: emulator.internalDatabaseUrl },
    targets: [{ url: viaDatabase.url }],
    tenancyIds: [emulator.tenancyId],
    tuning: FAST,
  });
  apiEngine = await startSyncEngine({
    source: {
      kind: 'api',
      apiUrl: emulator.apiUrl,
      projectId: emulator.projectId,
      secretServerKey: emulator.secretServerKey,
      intervalMs: 60_000,
    },
    targets: [{ url: viaApi.url }],
    tuning: { ...FAST, retryMaxMs: 200 },
  });
  onCleanup(() => apiEngine.stop());
  onCleanup(() => databaseEngine.stop());
});

afterAll(async () => {
  await emulator?.stop();
});

const users = (mirror: typeof viaApi) => mirrorRows(mirror, `SELECT ${USER_COLUMNS} FROM users ORDER BY id`);

describe('the emulator as a source', () => {
  it('mirrors a user signed up through the API within tens of milliseconds (NOTIFY, no polling wait)', async () => {
    await databaseEngine.syncNow();
    const started = performance.now();
    const response = await apiFetch(emulator, '/auth/password/sign-up', {
      method: 'POST',
      body: { email: 'fresh@example.com', password: 'a-long-password-1' },
    });
    expect(response.status).toBe(200);
    await expect
      .poll(
        async () =>
          mirrorRows(
            viaDatabase,
            `SELECT primary_email FROM users WHERE primary_email = 'fresh@example.com'`,
          ),
        {
          interval: 5,
        },
      )
      .toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('lists every user through the server API and writes the same rows as the database source', async () => {
    await Promise.all([databaseEngine.syncNow(), apiEngine.syncNow()]);
    const fromApi = await users(viaApi);
    expect(fromApi).toHaveLength(26);
    expect(fromApi).toEqual(await users(viaDatabase));
    const status = SyncStatusSchema.parse(apiEngine.status());
    expect(status.source).toMatchObject({ kind: 'api', scopes: [emulator.projectId] });
    expect(status.api).toMatchObject({ usersSeen: 26 });
  });

  it('reconciles updates and deletes of users that disappeared', async () => {
    const [first, second] = (await users(viaApi)) as { id: string }[];
    const patched = await apiFetch(emulator, `/users/${first!.id}`, {
      method: 'PATCH',
      access: 'server',
      body: { display_name: 'Renamed through the API', server_metadata: { plan: 'pro' } },
    });
    expect(patched.status).toBe(200);
    const deleted = await apiFetch(emulator, `/users/${second!.id}`, { method: 'DELETE', access: 'server' });
    expect(deleted.status).toBe(200);
    const result = await apiEngine.syncNow();
    expect(result.mappings).toEqual([{ name: 'users', rowsApplied: 2, lastSyncedSequenceId: -1 }]);
    expect(
      await mirrorRows(viaApi, 'SELECT display_name, server_metadata FROM users WHERE id = $1', [first!.id]),
    ).toEqual([{ display_name: 'Renamed through the API', server_metadata: { plan: 'pro' } }]);
    expect(await mirrorRows(viaApi, 'SELECT 1 FROM users WHERE id = $1', [second!.id])).toEqual([]);
    await databaseEngine.syncNow();
    expect(await users(viaApi)).toEqual(await users(viaDatabase));
  });

  it('reports a rejected key without deleting anything, and never prints the key', async () => {
    const wrong = await startSyncEngine({
      source: {
        kind: 'api',
        apiUrl: emulator.apiUrl,
        projectId: emulator.projectId,
        secretServerKey: 'ssk_wrongwrongwrongwrong',
      },
      targets: [{ url: viaApi.url }],
      tuning: FAST,
    });
    onCleanup(() => wrong.stop());
    const before = await users(viaApi);
    await wrong.syncNow();
    const status = wrong.status();
    expect(status.source.lastError).toMatch(/401|INVALID|KEY/i);
    expect(status.source.lastError).not.toContain('ssk_wrongwrongwrongwrong');
    expect(await users(viaApi)).toEqual(before);
  });
});

describe('a legacy backend (x-stack-* names only)', () => {
  it('accepts the API source, which sends both header families', async () => {
    const legacy = await startTestEmulator({ compat: 'legacy', seedUsers: 3, label: 'sync_emulator_legacy' });
    onCleanup(() => legacy.stop());
    const mirror = await mirrorDatabase('sync_emu_legacy');
    const engine = await startSyncEngine({
      source: {
        kind: 'api',
        apiUrl: legacy.apiUrl,
        projectId: legacy.projectId,
        secretServerKey: legacy.secretServerKey,
      },
      targets: [{ url: mirror.url }],
      tuning: FAST,
    });
    onCleanup(() => engine.stop());
    await engine.syncNow();
    expect(engine.status().source.lastError).toBeNull();
    expect(await mirrorRows(mirror, 'SELECT count(*)::int AS n FROM users')).toEqual([{ n: 3 }]);
  });
});
