export {
  ClusterCredentialsError,
  CREDENTIALS_FILE,
  clusterRolePassword,
  readClusterCredentials,
} from './credentials.js';
export { clusterHolder, recoverOrphanedCluster } from './data-dir-lock.js';
export { closeDatabasesToPublic, dropDatabase, ensureDatabase } from './databases.js';
export type { EmbeddedPostgresHandle, EmbeddedPostgresOptions } from './embedded.js';
export {
  ClusterInUseError,
  ShutdownInProgressError,
  sharedBuffersMb,
  startEmbeddedPostgres,
} from './embedded.js';
export { freePort } from './free-port.js';
export { removeOrphanedClusterHomes, stopClustersUnder } from './leftover-clusters.js';
export { connectShortClient } from './short-client.js';
export { LEGACY_PASSWORD } from './superuser-password.js';
