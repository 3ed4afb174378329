import type { ProjectWithRuntime } from '../../../shared/api/workspace-schemas.js';
import { projectStatus } from '../lib/project-status.js';

/** The project's state as the probes found it: never "running" for a backend that does not answer. */
export function RuntimePill({ project }: { project: Pick<ProjectWithRuntime, 'runtime' | 'health'> }) {
  const { label, tone } = projectStatus(project);
  return (
    <span className={`pill ${tone}`} data-testid="runtime-state">
      {label}
    </span>
  );
}
