export { clusterHolder, recoverOrphanedCluster } from './data-dir-lock.js';
export { dropDatabase, ensureDatabase } from './databases.js';
export type { EmbeddedPostgresHandle, EmbeddedPostgresOptions } from './embedded.js';
export { ClusterInUseError, ShutdownInProgressError, startEmbeddedPostgres } from './embedded.js';
export { freePort } from './free-port.js';
