import { useState } from 'react';
import { ConnectForm } from '../components/projects/ConnectForm.js';
import { ProjectCard } from '../components/projects/ProjectCard.js';
import { ErrorState, LoadingState } from '../components/States.js';
import { navigate } from '../lib/router.js';
import { useProjectsStore } from '../stores/projects.js';

/** Users the one-click emulator creates, so the monitor and the mirror have something to show at once. */
const DEMO_USERS = 25;

function TryEmulator({ primary }: { primary: boolean }) {
  const create = useProjectsStore((s) => s.create);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="card path-card">
      <h2>Try it with the local emulator</h2>
      <p className="muted">
        One click: a dual-protocol Stack/Hexclave backend on an embedded Postgres, {DEMO_USERS} demo users,
        the sync engine mirroring them and a capture proxy for your SDK's traffic. Nothing to configure.
      </p>
      {primary && (
        <ul>
          <li>users mirrored into Postgres, live in the sync monitor within seconds;</li>
          <li>the backend's compatibility verdict for old and new SDKs;</li>
          <li>a proxy URL for your app's SDK, its traffic checked live;</li>
          <li>an MCP server your editor's agent can ask about it all.</li>
        </ul>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className={`button ${primary ? 'primary' : ''}`}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await create({ kind: 'emulator', seedUsers: DEMO_USERS });
            navigate('sync');
          } catch (failure) {
            setError((failure as Error).message);
            setBusy(false);
          }
        }}
      >
        {busy ? 'Creating…' : 'Start the local emulator'}
      </button>
    </div>
  );
}

export function ProjectsScreen() {
  const { status, error, projects, secretStore, activeId, load } = useProjectsStore();
  const [connecting, setConnecting] = useState(false);
  const firstRun = status === 'ready' && projects.length === 0;

  return (
    <section className="screen" aria-labelledby="projects-title">
      <header className="screen-header">
        <h1 id="projects-title">{firstRun ? 'Welcome to Hexclave Companion' : 'Projects'}</h1>
        <p className="muted">
          {firstRun
            ? 'See your users mirrored, your backend’s compatibility verdict and your SDK’s traffic — pick a way in.'
            : 'Each project runs its own backend connection, sync engine, mirror and capture proxy, side by side.'}
        </p>
      </header>
      {secretStore?.warning && (
        <div className="warning-banner" role="status" data-testid="secret-store-warning">
          {secretStore.warning}
        </div>
      )}
      {status === 'loading' && projects.length === 0 && <LoadingState label="Loading projects…" />}
      {status === 'error' && (
        <ErrorState title="Could not load your projects" message={error ?? ''} onRetry={() => void load()} />
      )}
      {firstRun ? (
        <div className="paths" data-testid="first-run">
          <TryEmulator primary />
          <div className="card path-card">
            <h2>Connect my project</h2>
            <p className="muted">
              Point the companion at your backend and database: pick your app's folder and its .env is read
              the way the SDK reads it, or enter the URL, project id and keys yourself.
            </p>
            <ConnectForm />
          </div>
        </div>
      ) : (
        <>
          <div className="project-list">
            {projects.map((project) => (
              <ProjectCard key={project.id} project={project} active={project.id === activeId} />
            ))}
          </div>
          {status === 'ready' && (
            <div className="paths">
              <TryEmulator primary={false} />
              <div className="card path-card">
                <h2>Connect my project</h2>
                {connecting ? (
                  <ConnectForm onDone={() => setConnecting(false)} />
                ) : (
                  <button type="button" className="button" onClick={() => setConnecting(true)}>
                    Connect another project…
                  </button>
                )}
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
