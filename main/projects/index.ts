export { appEnvOf } from './app-env.js';
export { type ResolvedConnection, resolveConnection } from './connection.js';
export type { Cipher, SecretStore } from './secret-store.js';
export { createFileSecretStore, createSealedSecretStore } from './secret-store.js';
export { ProjectInputError, ProjectStore } from './store.js';
