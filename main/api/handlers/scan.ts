import { ScanDirError } from '../../scan/scan-dir-error.js';
import type { ApiHandlers } from '../dispatcher.js';
import type { AppContext } from './context.js';

/** The Migrate screen's findings: more than this would not be read on screen, and the summary counts all. */
export const MIGRATE_MAX_FINDINGS = 2000;

export function scanHandlers(context: AppContext): Pick<ApiHandlers, 'scan.project'> {
  return {
    'scan.project': async ({ project }) => {
      const summary = context.workspace.projects.get(project);
      if (!summary.folder) {
        throw new ScanDirError(
          `${summary.name} has no project folder to scan. Connect your app's folder when you add the project (Projects → Connect).`,
        );
      }
      // The parsers (typescript, yaml…) load on the first scan, not before `serve` prints its URL.
      const { scanProject } = await import('../../scan/index.js');
      return scanProject(summary.folder, { maxFindings: MIGRATE_MAX_FINDINGS });
    },
  };
}
