import { describe, expect, it } from 'vitest';
import { planSecretStore } from '../../../main/electron/secrets.js';

// Electron 41's safeStorage: on Linux, isEncryptionAvailable() is false without a keyring (backend basic_text),
// so the backend can only explain a refusal. The stand-in suite (test/integration/electron/main-process.test.ts)
// runs the same through the built app.
describe('where the desktop app keeps project secrets', () => {
  it('seals them when the OS keychain works, and says nothing', () => {
    expect(planSecretStore('linux', true, 'gnome_libsecret')).toEqual({ sealed: true, warning: null });
    expect(planSecretStore('darwin', true, null)).toEqual({ sealed: true, warning: null });
  });

  it('Linux without a keyring: a 0600 file, and a warning that says so and how to fix it', () => {
    const plan = planSecretStore('linux', false, 'basic_text');
    expect(plan.sealed).toBe(false);
    expect(plan.warning).toMatch(/no keyring.*file only your user can read.*Install and unlock/i);
  });

  it('Linux with a keyring that did not answer, and other systems without a keychain: the same file, named', () => {
    expect(planSecretStore('linux', false, 'kwallet5').warning).toMatch(/kwallet5 keyring did not answer/);
    expect(planSecretStore('win32', false, null).warning).toMatch(/OS keychain is not available/);
  });
});
