import { useEffect } from 'react';
import type { ProjectWithRuntime } from '../../../shared/api/workspace-schemas.js';
import { ReportView } from '../components/compat/ReportView.js';
import { ProjectGate } from '../components/ProjectGate.js';
import { EmptyState, ErrorState, LoadingState } from '../components/States.js';
import { formatCount, formatDateTime, formatMs } from '../lib/format.js';
import { useCompatStore } from '../stores/compat.js';

function History() {
  const { runs, selectedRun, select } = useCompatStore();
  if (runs.length === 0) return null;
  return (
    <nav className="card history" aria-label="Previous runs">
      <h2>History</h2>
      <ul className="list" data-testid="check-history">
        {runs.map((run) => (
          <li key={run.id}>
            <button
              type="button"
              className="list-button"
              aria-current={run.id === selectedRun ? 'true' : undefined}
              onClick={() => void select(run.id)}
              onKeyDown={(event) => {
                const sibling =
                  event.key === 'ArrowDown'
                    ? event.currentTarget.parentElement?.nextElementSibling
                    : event.key === 'ArrowUp'
                      ? event.currentTarget.parentElement?.previousElementSibling
                      : null;
                if (sibling) {
                  event.preventDefault();
                  sibling.querySelector('button')?.focus();
                }
              }}
            >
              <span
                className={`pill ${run.backendClass === 'dual' ? 'ok' : run.backendClass === 'legacy' ? 'warn' : 'error'}`}
              >
                {run.backendClass}
              </span>{' '}
              <span data-testid="run-time">{formatDateTime(run.at)}</span>
              <span className="muted small-text">
                {' '}
                · {formatCount(run.errors, 'error')} · {formatCount(run.warnings, 'warning')} ·{' '}
                {formatMs(run.wallMs)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Compatibility({ project }: { project: ProjectWithRuntime }) {
  const { open, run, running, runError, historyState, historyError, report, reportState, reportError, runs } =
    useCompatStore();
  useEffect(() => {
    void open(project.id);
  }, [open, project.id]);
  const canRun = project.runtime.state === 'running' || project.kind === 'connected';
  return (
    <>
      <div className="toolbar">
        <button
          type="button"
          className="button primary"
          disabled={running || !canRun}
          onClick={() => void run()}
        >
          {running ? 'Checking…' : 'Run the check'}
        </button>
        <span className="muted small-text">
          {canRun
            ? 'Signs up, signs in, refreshes and reads the user with old, new and mixed SDK headers (about 5–20 s).'
            : 'Start the project to run the check; earlier runs stay readable.'}
        </span>
      </div>
      {running && <LoadingState label="Running every scenario with the old, new and mixed SDK headers…" />}
      {runError && (
        <ErrorState title="The check could not run" message={runError} onRetry={() => void run()} />
      )}
      {historyState === 'error' && (
        <ErrorState
          title="Could not read earlier runs"
          message={historyError ?? ''}
          onRetry={() => void open(project.id)}
        />
      )}
      <div className="split wide">
        <div>
          {reportState === 'loading' && <LoadingState label="Loading the report…" />}
          {reportState === 'error' && (
            <ErrorState title="Could not load this run" message={reportError ?? ''} />
          )}
          {report && reportState === 'ready' && <ReportView report={report} />}
          {historyState === 'ready' && runs.length === 0 && !running && (
            <EmptyState title="No check yet">
              Run the check to learn whether this backend serves both the old x-stack-* SDK and the new
              x-hexclave-* one.
            </EmptyState>
          )}
          {historyState === 'loading' && <LoadingState label="Loading earlier runs…" />}
        </div>
        <History />
      </div>
    </>
  );
}

export function CompatScreen() {
  return (
    <section className="screen" aria-labelledby="compat-title">
      <header className="screen-header">
        <h1 id="compat-title">Compatibility</h1>
        <p className="muted">
          Does this backend serve old and new SDKs? The verdict, the evidence and every finding.
        </p>
      </header>
      <ProjectGate needsRunning={false}>{(project) => <Compatibility project={project} />}</ProjectGate>
    </section>
  );
}
