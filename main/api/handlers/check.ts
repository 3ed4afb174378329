import { CannotRunError, type CheckRun, renderReport, runCheck } from '../../checker/index.js';
import type { ApiHandlers } from '../dispatcher.js';
import { ApiError } from '../dispatcher.js';
import type { AppContext } from './context.js';

type CheckMethods = 'check.run' | 'check.history' | 'check.get' | 'check.export';

const MIME: Record<'json' | 'markdown' | 'junit' | 'har', [string, string]> = {
  json: ['application/json', 'json'],
  markdown: ['text/markdown', 'md'],
  junit: ['application/xml', 'junit.xml'],
  har: ['application/json', 'har'],
};

export function checkHandlers({ workspace }: AppContext): Pick<ApiHandlers, CheckMethods> {
  // Unredacted HARs of this session's runs; never written to disk.
  const recentRuns = new Map<string, CheckRun>();
  return {
    'check.run': async ({ project }) => {
      const summary = workspace.projects.get(project);
      const runtime = workspace.runtimeState(project);
      const apiUrl = runtime.apiUrl ?? summary.apiUrl;
      if (!apiUrl || !summary.projectId || !summary.publishableClientKey) {
        throw new ApiError(
          'NotConfigured',
          summary.kind === 'emulator'
            ? 'The emulator is not running yet: start the project, then run the check.'
            : 'The check needs the API URL, project id and publishable client key: add them to the project.',
        );
      }
      const secretServerKey = workspace.projects.secret(project, 'secretServerKey');
      let run: CheckRun;
      try {
        run = await runCheck({
          apiUrl,
          projectId: summary.projectId,
          publishableClientKey: summary.publishableClientKey,
          ...(secretServerKey ? { secretServerKey } : {}),
        });
      } catch (error) {
        if (error instanceof CannotRunError) throw new ApiError('CannotRun', error.message);
        throw error;
      }
      const stored = workspace.checks(project).add(run.report, run.har({ unsafe: false }));
      recentRuns.set(stored.summary.id, run);
      return { ...stored.summary, report: stored.report };
    },
    'check.history': async ({ project }) => ({ runs: workspace.checks(project).list() }),
    'check.get': async ({ project, run }) => {
      const stored = workspace.checks(project).read(run);
      if (!stored) throw new ApiError('NotFound', `No compatibility run "${run}" for this project.`);
      return { report: stored.report };
    },
    'check.export': async ({ project, run, format, unsafe }) => {
      const stored = workspace.checks(project).read(run);
      if (!stored) throw new ApiError('NotFound', `No compatibility run "${run}" for this project.`);
      const [mimeType, extension] = MIME[format];
      let content: string;
      if (format === 'har') {
        const live = recentRuns.get(run);
        if (unsafe && !live) {
          throw new ApiError(
            'NotAvailable',
            'The unredacted HAR exists only for runs made since the companion started; run the check again.',
          );
        }
        content = JSON.stringify(unsafe && live ? live.har({ unsafe: true }) : stored.har, null, 2);
      } else {
        content = renderReport(stored.report, format);
      }
      return { fileName: `hexclave-check-${run}.${extension}`, mimeType, content };
    },
  };
}
