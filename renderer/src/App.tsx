import { useEffect, useState } from 'react';
import type { ApiOutput } from '../../shared/api/contract.js';
import { api } from './api.js';
import { RegistryScreen } from './screens/RegistryScreen.js';

type AppInfo = ApiOutput<'app.info'>;

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [connectionError, setConnectionError] = useState<string | null>(null);

  useEffect(() => {
    api.call('app.info', {}).then(setInfo, (error: Error) => setConnectionError(error.message));
  }, []);

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Screens">
        <div className="brand">Hexclave Companion</div>
        <a className="nav-item active" href="#registry" aria-current="page">
          Registry
        </a>
        <footer className="sidebar-footer muted">
          {info ? `v${info.version} · ${info.mode}` : connectionError ? 'disconnected' : '…'}
        </footer>
      </nav>
      <main className="content">
        {connectionError && (
          <div className="error-banner" role="alert">
            Cannot reach the companion: {connectionError}. Reopen the URL printed by{' '}
            <code>hexclave-companion serve</code>.
          </div>
        )}
        {info?.modeReason && <div className="info-banner">{info.modeReason}</div>}
        <RegistryScreen />
      </main>
    </div>
  );
}
