import { join } from 'node:path';
import { safeStorage } from 'electron';
import { createFileSecretStore, createSealedSecretStore, type SecretStore } from '../projects/index.js';

/**
 * Project secrets sealed with the OS keychain through Electron safeStorage. On Linux without a keyring Electron
 * falls back to a hard-coded key ("basic_text"), which is no protection: the user is told.
 */
export function createDesktopSecretStore(dataDir: string): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) {
    const store = createFileSecretStore(join(dataDir, 'secrets.json'));
    return {
      ...store,
      kind: store.kind,
      warning: 'No OS keychain is available: project secrets are kept in a file only your user can read.',
      get: store.get.bind(store),
      set: store.set.bind(store),
      keys: store.keys.bind(store),
      deleteNamespace: store.deleteNamespace.bind(store),
    };
  }
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
  const warning =
    backend === 'basic_text'
      ? 'Linux has no keyring (gnome-keyring or kwallet) for this session: secrets are encrypted with a fixed key, which protects little.'
      : null;
  return createSealedSecretStore(
    join(dataDir, 'secrets.sealed.json'),
    {
      encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
      decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
    },
    warning,
  );
}
