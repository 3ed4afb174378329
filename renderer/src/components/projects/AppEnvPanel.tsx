import { useEffect, useState } from 'react';
import type { AppEnv } from '../../../../shared/api/workspace-schemas.js';
import { api } from '../../api.js';
import { CopyButton } from '../CopyButton.js';

/**
 * What the developer's app needs in its `.env`: project id, publishable key and API URL under both the HEXCLAVE_
 * and the STACK_ names, each with a copy button, the whole `.env` to copy at once, and why a secret is not set.
 * Refetched when the runtime changes (the API URL is the proxy's only while the project runs).
 */
export function AppEnvPanel({ project, runtimeKey }: { project: string; runtimeKey: string }) {
  const [env, setEnv] = useState<AppEnv | null>(null);
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runtimeKey changes the answer (the proxy's URL)
  useEffect(() => {
    let live = true;
    api.call('projects.appEnv', { project }).then(
      (result) => {
        if (!live) return;
        setEnv(result);
        setError(null);
      },
      (failure: Error) => {
        if (live) setError(failure.message);
      },
    );
    return () => {
      live = false;
    };
  }, [project, runtimeKey]);

  return (
    <details className="app-env" data-testid="app-env">
      <summary>Your app’s .env</summary>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {env && (
        <>
          <p className="muted small-text">
            {env.apiUrlVia === 'proxy'
              ? 'The API URL is the capture proxy, so your app’s traffic shows in Traffic.'
              : 'The API URL is your backend; start the project to route your app through the capture proxy.'}{' '}
            New SDKs read the HEXCLAVE_ names, older ones the STACK_ names: set both while you migrate.
          </p>
          <table className="app-env-table">
            <tbody>
              {env.variables.map((variable) =>
                variable.names.map((name) => (
                  <tr key={name} data-testid="app-env-variable">
                    <th scope="row">
                      <code>{name}</code>
                    </th>
                    <td>
                      {variable.value === null ? (
                        <span className="muted">{variable.label} unknown</span>
                      ) : (
                        <code data-testid="app-env-value">{variable.value}</code>
                      )}
                    </td>
                    <td>
                      {variable.value !== null && (
                        <CopyButton text={`${name}=${variable.value}`} title={`Copy ${name}=…`} />
                      )}
                    </td>
                  </tr>
                )),
              )}
              {env.secrets.map((secret) => (
                <tr key={secret.setting} data-testid="app-env-secret">
                  <th scope="row">
                    <code>{secret.names.join(' / ')}</code>
                  </th>
                  <td colSpan={2}>
                    {secret.set ? (
                      <span className="pill ok">set · not shown</span>
                    ) : (
                      <>
                        <span className="pill muted">not set</span>{' '}
                        <span className="small-text" data-testid="app-env-secret-reason">
                          {secret.reason}
                        </span>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {env.warnings.length > 0 && (
            <ul className="warning-list small-text" data-testid="app-env-warnings">
              {env.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
          {env.dotenv ? (
            <div className="app-env-dotenv">
              <pre data-testid="app-env-dotenv">{env.dotenv}</pre>
              <CopyButton text={env.dotenv} label="Copy .env" testId="app-env-copy" />
            </div>
          ) : (
            <p className="muted small-text">
              The .env is ready once the project id, publishable key and API URL are known.
            </p>
          )}
        </>
      )}
    </details>
  );
}
