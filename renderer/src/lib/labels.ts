import type { ProjectSecretName } from '../../../shared/api/schemas.js';

export const PROJECT_SECRET_LABELS: Record<ProjectSecretName, string> = {
  secretServerKey: 'secret server key',
  superSecretAdminKey: 'admin key',
  internalDatabaseUrl: 'internal database URL',
  mirrorDatabaseUrl: 'mirror database URL',
};
