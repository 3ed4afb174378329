import { describe, expect, it } from 'vitest';
import { setupTestEmulator } from '../../helpers/emulator.js';
import { runSdkScenario, sdkApps, sdkErrorCode } from './sdk-scenario.js';

describe('dual mode: both published SDKs work', () => {
  const emulator = setupTestEmulator({ compat: 'dual' });

  it('@stackframe/js 2.8.102 (x-stack-* headers only)', async () => {
    await runSdkScenario('old', emulator());
  });

  it('@stackframe/js 2.8.108 (X-Hexclave-* headers only)', async () => {
    await runSdkScenario('new', emulator());
  });
});

describe('legacy mode: today’s Stack Auth', () => {
  const emulator = setupTestEmulator({ compat: 'legacy' });

  it('works with the old SDK', async () => {
    await runSdkScenario('old', emulator());
  });

  it('fails the new SDK the way the real old backend does: its headers are not seen at all', async () => {
    const { server, client } = sdkApps('new', emulator());
    expect(await sdkErrorCode(() => server.listUsers())).toBe('ACCESS_TYPE_REQUIRED');
    expect(await sdkErrorCode(() => server.createUser({ primaryEmail: 'x@example.com' }))).toBe(
      'ACCESS_TYPE_REQUIRED',
    );
    expect(
      await sdkErrorCode(() =>
        client.signInWithCredential({ email: 'x@example.com', password: 'whatever1', noRedirect: true }),
      ),
    ).toBe('ACCESS_TYPE_REQUIRED');
  });
});
