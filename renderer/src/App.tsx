import { useEffect, useState } from 'react';
import type { ApiOutput } from '../../shared/api/contract.js';
import { api } from './api.js';
import { RuntimePill } from './components/RuntimePill.js';
import { LoadingState } from './components/States.js';
import { projectStatus } from './lib/project-status.js';
import { useRoute } from './lib/router.js';
import { connectLiveData } from './live.js';
import { CompatScreen } from './screens/CompatScreen.js';
import { MailScreen } from './screens/MailScreen.js';
import { McpScreen } from './screens/McpScreen.js';
import { MigrateScreen } from './screens/MigrateScreen.js';
import { MirrorScreen } from './screens/MirrorScreen.js';
import { ProjectsScreen } from './screens/ProjectsScreen.js';
import { RegistryScreen } from './screens/RegistryScreen.js';
import { SyncScreen } from './screens/SyncScreen.js';
import { TrafficScreen } from './screens/TrafficScreen.js';
import { useProjectsStore } from './stores/projects.js';

type AppInfo = ApiOutput<'app.info'>;

const SCREENS = [
  { id: 'projects', label: 'Projects', render: () => <ProjectsScreen /> },
  { id: 'sync', label: 'Sync monitor', render: () => <SyncScreen /> },
  { id: 'compat', label: 'Compatibility', render: () => <CompatScreen /> },
  { id: 'traffic', label: 'Traffic', render: (param: string | null) => <TrafficScreen seqParam={param} /> },
  { id: 'mirror', label: 'Mirror', render: (param: string | null) => <MirrorScreen tableParam={param} /> },
  { id: 'mail', label: 'Mail', render: () => <MailScreen /> },
  { id: 'mcp', label: 'MCP', render: () => <McpScreen /> },
  { id: 'migrate', label: 'Migrate', render: () => <MigrateScreen /> },
  { id: 'registry', label: 'Registry', render: () => <RegistryScreen /> },
] as const;

function ProjectSwitcher() {
  const { projects, activeId, select } = useProjectsStore();
  const active = projects.find((p) => p.id === activeId);
  if (projects.length === 0) return null;
  return (
    <div className="switcher">
      <label className="muted small-text" htmlFor="project-switcher">
        Project
      </label>
      <select
        id="project-switcher"
        value={activeId ?? ''}
        onChange={(event) => select(event.target.value)}
        data-testid="project-switcher"
      >
        {projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({projectStatus(p).label})
          </option>
        ))}
      </select>
      {active && (
        <span className="small-text">
          <RuntimePill project={active} />
        </span>
      )}
    </div>
  );
}

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [connectionError, setConnectionError] = useState<string | null>(null);
  const projectsStatus = useProjectsStore((s) => s.status);
  const hasProjects = useProjectsStore((s) => s.projects.length > 0);
  // With a project the monitor is home; without one, the first-run screen.
  const route = useRoute(hasProjects ? 'sync' : 'projects');
  const screen = SCREENS.find((s) => s.id === route.screen) ?? SCREENS[0];

  useEffect(() => {
    api.call('app.info', {}).then(setInfo, (error: Error) => setConnectionError(error.message));
    void useProjectsStore.getState().load();
    return connectLiveData();
  }, []);

  const waitingForProjects = !location.hash && (projectsStatus === 'idle' || projectsStatus === 'loading');

  return (
    <div className="app">
      {/* A button, not a link: a #fragment link would be read as a route. */}
      <button
        type="button"
        className="skip-link"
        onClick={() => document.getElementById('main-content')?.focus()}
      >
        Skip to content
      </button>
      <nav className="sidebar" aria-label="Screens">
        <div className="brand">Hexclave Companion</div>
        <ProjectSwitcher />
        {SCREENS.map((s) => (
          <a
            key={s.id}
            className={`nav-item ${s.id === screen.id ? 'active' : ''}`}
            href={`#${s.id}`}
            aria-current={s.id === screen.id ? 'page' : undefined}
          >
            {s.label}
          </a>
        ))}
        <footer className="sidebar-footer muted">
          {info ? `v${info.version} · ${info.mode}` : connectionError ? 'disconnected' : '…'}
        </footer>
      </nav>
      <main className="content" id="main-content" tabIndex={-1}>
        {connectionError && (
          <div className="error-banner" role="alert">
            Cannot reach the companion: {connectionError}. Reopen the URL printed by{' '}
            <code>hexclave-companion serve</code>.
          </div>
        )}
        {info?.modeReason && <div className="info-banner">{info.modeReason}</div>}
        {waitingForProjects ? <LoadingState label="Loading projects…" /> : screen.render(route.param)}
      </main>
    </div>
  );
}
