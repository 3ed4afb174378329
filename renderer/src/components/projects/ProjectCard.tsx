import { useState } from 'react';
import type { ProjectWithRuntime } from '../../../../shared/api/workspace-schemas.js';
import { PROJECT_SECRET_LABELS } from '../../lib/labels.js';
import { navigate } from '../../lib/router.js';
import { useProjectsStore } from '../../stores/projects.js';
import { CopyButton } from '../CopyButton.js';
import { RuntimePill } from '../RuntimePill.js';
import { OpenAppForm } from './OpenAppForm.js';

const SYNC_SOURCE: Record<ProjectWithRuntime['syncSource'], string> = {
  emulator: 'the emulator’s internal database (full pipeline)',
  'internal-database': 'your backend’s internal database (full pipeline)',
  api: 'your backend’s API with the secret server key (users only)',
  none: 'none — add the internal database URL or the secret server key to mirror users',
};

export function ProjectCard({ project, active }: { project: ProjectWithRuntime; active: boolean }) {
  const { select, start, stop, remove, actionErrors } = useProjectsStore();
  const [confirmingRemove, setConfirmingRemove] = useState(false);
  const { runtime } = project;
  const running = runtime.state === 'running' || runtime.state === 'starting';
  return (
    <article
      className={`card project-card ${active ? 'active' : ''}`}
      aria-label={project.name}
      data-testid="project-card"
    >
      <header className="card-header">
        <h2>{project.name}</h2>
        <span className="pill muted">{project.kind === 'emulator' ? 'local emulator' : 'connected'}</span>
        <RuntimePill runtime={runtime} />
        {active && <span className="pill ok">selected</span>}
      </header>
      {runtime.message && (
        <p className={runtime.state === 'failed' ? 'error-text' : 'muted'} data-testid="runtime-message">
          {runtime.message}
        </p>
      )}
      {actionErrors[project.id] && (
        <p className="error-text" role="alert">
          {actionErrors[project.id]}
        </p>
      )}
      <dl className="facts">
        <dt>API URL</dt>
        <dd>
          <code>{runtime.apiUrl ?? project.apiUrl ?? '—'}</code>
        </dd>
        {project.projectId && (
          <>
            <dt>Project id</dt>
            <dd>
              <code>{project.projectId}</code>
            </dd>
          </>
        )}
        <dt>Proxy URL</dt>
        <dd>
          {runtime.proxyUrl ? (
            <>
              <code data-testid="proxy-url">{runtime.proxyUrl}</code> <CopyButton text={runtime.proxyUrl} />
              <div className="muted small-text">Point your SDK's baseUrl here to see its traffic.</div>
            </>
          ) : (
            <span className="muted">available while the project runs</span>
          )}
        </dd>
        <dt>Mirrors from</dt>
        <dd>{SYNC_SOURCE[project.syncSource]}</dd>
        <dt>Mirror</dt>
        <dd>
          {project.mirror === 'embedded' ? 'an embedded Postgres run by the companion' : 'your database'}
        </dd>
        <dt>Secrets</dt>
        <dd className="chips">
          {Object.entries(project.secrets).map(([name, set]) => (
            <span key={name} className={`pill ${set ? 'ok' : 'muted'}`}>
              {PROJECT_SECRET_LABELS[name as keyof typeof PROJECT_SECRET_LABELS]}: {set ? 'set' : 'not set'}
            </span>
          ))}
        </dd>
      </dl>
      {runtime.state === 'running' && <OpenAppForm project={project.id} />}
      <div className="actions">
        <button
          type="button"
          className="button primary"
          onClick={() => {
            select(project.id);
            navigate('sync');
          }}
        >
          Open monitor
        </button>
        {!active && (
          <button type="button" className="button" onClick={() => select(project.id)}>
            Select
          </button>
        )}
        {running ? (
          <button type="button" className="button" onClick={() => void stop(project.id)}>
            Stop
          </button>
        ) : (
          <button type="button" className="button" onClick={() => void start(project.id)}>
            Start
          </button>
        )}
        {confirmingRemove ? (
          <>
            <span className="muted small-text" data-testid="remove-warning">
              Stops it and deletes its Postgres data, mirror, keys and history from this machine.
            </span>
            <button type="button" className="button danger" onClick={() => void remove(project.id)}>
              Remove {project.name} and its data
            </button>
            <button type="button" className="button" onClick={() => setConfirmingRemove(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="button" onClick={() => setConfirmingRemove(true)}>
            Remove…
          </button>
        )}
      </div>
    </article>
  );
}
