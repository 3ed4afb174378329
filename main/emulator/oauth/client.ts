import { identifier } from '../../../shared/registry/index.js';
import { lookupProject } from '../auth/projects.js';
import type { TenancyRef } from '../auth/sessions.js';
import type { EmulatorContext } from '../context.js';
import { EMULATOR_PROJECT_CONFIG } from '../project-config.js';
import { type KnownError, knownError } from '../wire/known-errors.js';

const NO_KEY_SENTINEL = identifier('oauth.public-client-sentinel').old;

/**
 * An OAuth client is the project: client_id is `<projectId>` or `<projectId>#<branchId>`, client_secret its
 * publishable key (or the public-client sentinel when the project does not require one).
 */
export async function resolveOAuthClient(
  ctx: EmulatorContext,
  clientId: string | undefined,
  clientSecret: string | undefined,
  invalidKey: (projectId: string) => KnownError,
): Promise<TenancyRef> {
  if (!clientId) throw knownError('INVALID_OAUTH_CLIENT_ID_OR_SECRET', null);
  const [projectId = '', branchId = 'main'] = clientId.split('#');
  const key = clientSecret && clientSecret !== NO_KEY_SENTINEL ? clientSecret : undefined;
  const project = await lookupProject(
    ctx.pool,
    projectId,
    branchId,
    key ? { kind: 'publishableClientKey', value: key } : undefined,
  );
  if (!project?.tenancyId) throw knownError('INVALID_OAUTH_CLIENT_ID_OR_SECRET', clientId);
  if (key === undefined) {
    if (EMULATOR_PROJECT_CONFIG.requirePublishableClientKey) {
      throw knownError('PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT', projectId);
    }
  } else if (!project.keyValid) {
    throw invalidKey(projectId);
  }
  return { projectId, branchId, tenancyId: project.tenancyId };
}
