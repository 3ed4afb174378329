import type { ApiHandlers } from '../dispatcher.js';
import type { AppContext } from './context.js';

type ProjectMethods =
  | 'projects.list'
  | 'projects.create'
  | 'projects.remove'
  | 'projects.start'
  | 'projects.stop';

export function projectHandlers({ workspace }: AppContext): Pick<ApiHandlers, ProjectMethods> {
  return {
    'projects.list': async () => ({ projects: workspace.list(), secretStore: workspace.secretStore }),
    'projects.create': (input) => workspace.create(input),
    'projects.remove': async ({ project }) => {
      await workspace.remove(project);
      return { ok: true };
    },
    'projects.start': ({ project }) => workspace.start(project),
    'projects.stop': ({ project }) => workspace.stop(project),
  };
}
