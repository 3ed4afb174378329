import type { ReactNode } from 'react';
import type { ProjectWithRuntime } from '../../../shared/api/workspace-schemas.js';
import { navigate } from '../lib/router.js';
import { useActiveProject, useProjectsStore } from '../stores/projects.js';
import { EmptyState, ErrorState, LoadingState } from './States.js';

/**
 * What a project screen shows before it can show its data: the project list loading or failing, no project
 * yet, or the project not running (with the way to start it).
 */
export function ProjectGate({
  needsRunning,
  children,
}: {
  needsRunning: boolean;
  children: (project: ProjectWithRuntime) => ReactNode;
}) {
  const { status, error, load, start, actionErrors } = useProjectsStore();
  const project = useActiveProject();
  if (status === 'idle' || (status === 'loading' && !project))
    return <LoadingState label="Loading projects…" />;
  if (status === 'error' && !project) {
    return (
      <ErrorState title="Could not load your projects" message={error ?? ''} onRetry={() => void load()} />
    );
  }
  if (!project) {
    return (
      <EmptyState title="No project yet">
        <p>Start the local emulator or connect your own project first.</p>
        <button type="button" className="button primary" onClick={() => navigate('projects')}>
          Set up a project
        </button>
      </EmptyState>
    );
  }
  const { runtime } = project;
  if (needsRunning && runtime.state !== 'running') {
    if (runtime.state === 'starting') {
      return <LoadingState label={runtime.message ?? `Starting ${project.name}…`} />;
    }
    if (runtime.state === 'failed') {
      return (
        <ErrorState
          title={`${project.name} could not start`}
          message={runtime.message ?? 'The project runtime failed without saying why.'}
          onRetry={() => void start(project.id)}
        />
      );
    }
    return (
      <EmptyState title={`${project.name} is stopped`}>
        <p>Start it to see its live data here.</p>
        {actionErrors[project.id] && <p className="error-text">{actionErrors[project.id]}</p>}
        <button type="button" className="button primary" onClick={() => void start(project.id)}>
          Start {project.name}
        </button>
      </EmptyState>
    );
  }
  return <>{children(project)}</>;
}
