export { dropDatabase, ensureDatabase } from './databases.js';
export type { EmbeddedPostgresHandle, EmbeddedPostgresOptions } from './embedded.js';
export { startEmbeddedPostgres } from './embedded.js';
export { freePort } from './free-port.js';
