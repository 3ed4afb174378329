import type { ApiHandlers } from '../dispatcher.js';
import type { AppContext } from './context.js';

export function syncHandlers({
  workspace,
}: AppContext): Pick<ApiHandlers, 'sync.status' | 'sync.setStage' | 'sync.now'> {
  return {
    'sync.status': async ({ project }) => {
      workspace.projects.get(project);
      const runtime = workspace.runtime(project);
      return runtime ? runtime.status() : { status: null, samples: [], errors: [] };
    },
    'sync.setStage': async ({ project, stage, enabled }) => ({
      fusebox: await workspace.running(project).setStage(stage, enabled),
    }),
    'sync.now': ({ project }) => workspace.running(project).syncNow(),
  };
}
