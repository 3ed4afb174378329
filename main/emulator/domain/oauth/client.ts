import { identifier } from '../../../../shared/registry/index.js';
import { type KnownError, knownError } from '../../errors/index.js';
import type { ProjectDirectory, Tenancy } from '../projects/index.js';

const NO_KEY_SENTINEL = identifier('oauth.public-client-sentinel').old;

/**
 * An OAuth client is the project: client_id is `<projectId>` or `<projectId>#<branchId>`, client_secret its
 * publishable key (or the public-client sentinel when the project does not require one).
 */
export async function resolveOAuthClient(
  projects: ProjectDirectory,
  clientId: string | undefined,
  clientSecret: string | undefined,
  invalidKey: (projectId: string) => KnownError,
): Promise<Tenancy> {
  if (!clientId) throw knownError('INVALID_OAUTH_CLIENT_ID_OR_SECRET', null);
  const [projectId = '', branchId = 'main'] = clientId.split('#');
  const key = clientSecret && clientSecret !== NO_KEY_SENTINEL ? clientSecret : undefined;
  const found = await projects.lookup(
    projectId,
    branchId,
    key ? { kind: 'publishableClientKey', value: key } : undefined,
  );
  if (!found?.tenancyId) throw knownError('INVALID_OAUTH_CLIENT_ID_OR_SECRET', clientId);
  if (key === undefined) {
    if (found.config.project.requirePublishableClientKey) {
      throw knownError('PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT', projectId);
    }
  } else if (!found.keyValid) {
    throw invalidKey(projectId);
  }
  return { projectId, branchId, tenancyId: found.tenancyId, config: found.config };
}
