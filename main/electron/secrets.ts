import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import { createFileSecretStore, createSealedSecretStore, type SecretStore } from '../projects/index.js';

type LinuxBackend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

/** How project secrets are kept, and what the user is told about it. */
export interface SecretStorePlan {
  readonly sealed: boolean;
  readonly warning: string | null;
}

const FILE_ONLY = 'project secrets are kept unencrypted in a file only your user can read';

/**
 * Electron 41 on Linux: `isEncryptionAvailable()` is false without a keyring (Chromium's `basic_text` store has no
 * key of its own unless the app opts into a fixed one, which we do not), and the backend is only known once that
 * check has run. So the backend explains a refusal; it never grants encryption.
 */
export function planSecretStore(
  platform: NodeJS.Platform,
  encryptionAvailable: boolean,
  linuxBackend: LinuxBackend | null,
): SecretStorePlan {
  if (encryptionAvailable) return { sealed: true, warning: null };
  if (platform !== 'linux') {
    return { sealed: false, warning: `The OS keychain is not available: ${FILE_ONLY}.` };
  }
  if (linuxBackend === 'basic_text' || linuxBackend === 'unknown' || linuxBackend === null) {
    return {
      sealed: false,
      warning: `Linux has no keyring (GNOME Keyring or KWallet) in this session: ${FILE_ONLY}. Install and unlock one, then restart the app.`,
    };
  }
  return {
    sealed: false,
    warning: `The ${linuxBackend} keyring did not answer (is it unlocked?): ${FILE_ONLY}.`,
  };
}

const withWarning = (store: SecretStore, warning: string | null): SecretStore => ({
  kind: store.kind,
  warning,
  get: (namespace, key) => store.get(namespace, key),
  set: (namespace, key, value) => store.set(namespace, key, value),
  keys: (namespace) => store.keys(namespace),
  deleteNamespace: (namespace) => store.deleteNamespace(namespace),
});

/** Project secrets sealed with the OS keychain through Electron safeStorage, or a 0600 file and a warning. */
export function createDesktopSecretStore(
  dataDir: string,
  safeStorage: SafeStorage,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  // Order matters on Linux: the availability check is what selects the backend.
  const available = safeStorage.isEncryptionAvailable();
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
  const plan = planSecretStore(platform, available, backend);
  if (!plan.sealed) return withWarning(createFileSecretStore(join(dataDir, 'secrets.json')), plan.warning);
  return createSealedSecretStore(
    join(dataDir, 'secrets.sealed.json'),
    {
      encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
      decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
    },
    plan.warning,
  );
}
