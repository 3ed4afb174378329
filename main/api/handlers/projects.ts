import { probeBackend } from '../../checker/index.js';
import { appEnvOf, resolveConnection } from '../../projects/index.js';
import type { ApiHandlers } from '../dispatcher.js';
import type { AppContext } from './context.js';

type ProjectMethods =
  | 'projects.list'
  | 'projects.create'
  | 'projects.probe'
  | 'projects.checkHealth'
  | 'projects.appEnv'
  | 'projects.remove'
  | 'projects.start'
  | 'projects.stop'
  | 'projects.openApp';

export function projectHandlers(context: AppContext): Pick<ApiHandlers, ProjectMethods> {
  const { workspace } = context;
  return {
    'projects.list': async () => ({ projects: workspace.list(), secretStore: workspace.secretStore }),
    'projects.create': (input) => workspace.create(input),
    'projects.probe': async (input) => {
      const resolved = resolveConnection(input);
      const { apiUrl, projectId, publishableClientKey } = resolved;
      const blocked = resolved.problems.some((p) => p.level === 'error') || !apiUrl || !projectId;
      const probe = blocked
        ? null
        : await probeBackend({
            apiUrl,
            projectId,
            publishableClientKey,
            secretServerKey: resolved.secrets.secretServerKey ?? null,
          });
      return {
        apiUrl,
        projectId,
        publishableClientKey,
        from: resolved.from,
        problems: [...resolved.problems],
        backend: probe?.backend ?? null,
        keys: probe?.keys ?? null,
        ok: probe !== null && probe.backend.state === 'ok' && probe.keys.state !== 'error',
      };
    },
    'projects.appEnv': async ({ project }) =>
      appEnvOf(workspace.projects.get(project), workspace.runtimeState(project)),
    'projects.checkHealth': ({ project }) => {
      workspace.projects.get(project);
      return workspace.health.checkNow(project);
    },
    'projects.remove': async ({ project }) => {
      await workspace.remove(project);
      return { ok: true };
    },
    'projects.start': ({ project }) => workspace.start(project),
    'projects.stop': ({ project }) => workspace.stop(project),
    'projects.openApp': async ({ project, url }) => {
      workspace.projects.get(project);
      if (context.openAppWindow) {
        context.openAppWindow(project, url);
        return {
          opened: true,
          scriptTag: null,
          message: `Opened ${url} with the dev tool; its auth traffic shows in Traffic.`,
        };
      }
      const script = context.overlayScriptUrl?.() ?? null;
      return {
        opened: false,
        scriptTag: script ? `<script src="${script}"></script>` : null,
        message:
          'The wrapped app window needs the desktop app. In a browser, add this script tag to your app (development only): the dev tool appears in the page and reports its traffic here.',
      };
    },
  };
}
