import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where project secrets (secret server key, admin key, database URLs) live. They are written here once, on
 * entry, and never sent back to the renderer: the UI only learns which secrets are set.
 */
export interface SecretStore {
  readonly kind: 'safe-storage' | 'file';
  /** Shown to the user when the store is weaker than it should be (Linux without a keyring). */
  readonly warning: string | null;
  get(namespace: string, key: string): string | undefined;
  set(namespace: string, key: string, value: string): void;
  keys(namespace: string): string[];
  deleteNamespace(namespace: string): void;
}

/** Encrypts and decrypts a string (Electron safeStorage in the desktop app; identity in serve mode). */
export interface Cipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

type SecretFile = Record<string, Record<string, string>>;

function readJson(path: string): SecretFile {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SecretFile;
  } catch {
    throw new Error(`The secrets file ${path} is not valid JSON. Move it aside and re-enter your keys.`);
  }
}

/** Atomic write (temp file + rename) of a file only the current user can read. */
function writePrivate(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

class JsonSecretStore implements SecretStore {
  constructor(
    readonly kind: 'safe-storage' | 'file',
    readonly warning: string | null,
    private readonly path: string,
    private readonly cipher: Cipher,
  ) {}

  get(namespace: string, key: string): string | undefined {
    const sealed = readJson(this.path)[namespace]?.[key];
    return sealed === undefined ? undefined : this.cipher.decrypt(sealed);
  }

  set(namespace: string, key: string, value: string): void {
    const all = readJson(this.path);
    all[namespace] = { ...(all[namespace] ?? {}), [key]: this.cipher.encrypt(value) };
    writePrivate(this.path, JSON.stringify(all, null, 2));
  }

  keys(namespace: string): string[] {
    return Object.keys(readJson(this.path)[namespace] ?? {});
  }

  deleteNamespace(namespace: string): void {
    const all = readJson(this.path);
    if (!(namespace in all)) return;
    delete all[namespace];
    writePrivate(this.path, JSON.stringify(all, null, 2));
  }
}

/**
 * Serve mode: a 0600 file in the app-data folder (no OS keychain is reachable from a plain Node process). The UI
 * says so, with the file's path, so the user knows where their keys are and what protects them.
 */
export function createFileSecretStore(path: string): SecretStore {
  const warning = `No OS keychain is used: project secrets (keys and database URLs) are kept unencrypted in ${path}, a file only your user can read (0600).`;
  return new JsonSecretStore('file', warning, path, { encrypt: (v) => v, decrypt: (v) => v });
}

/** Desktop: values sealed by Electron safeStorage before they touch the disk. */
export function createSealedSecretStore(path: string, cipher: Cipher, warning: string | null): SecretStore {
  return new JsonSecretStore('safe-storage', warning, path, cipher);
}
