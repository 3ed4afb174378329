import { useState } from 'react';
import type { ApiOutput } from '../../../../shared/api/contract.js';
import { api } from '../../api.js';
import { CopyButton } from '../CopyButton.js';

type Result = ApiOutput<'projects.openApp'>;

/** "Open my app": the wrapped window in the desktop app, or the overlay script tag to paste in a browser. */
export function OpenAppForm({ project }: { project: string }) {
  const [url, setUrl] = useState('http://localhost:3000');
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="open-app"
      aria-label="Open my app"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        api.call('projects.openApp', { project, url }).then(setResult, (e: Error) => setError(e.message));
      }}
    >
      <label>
        Your app’s dev URL{' '}
        <input type="url" required value={url} onChange={(event) => setUrl(event.target.value)} />
      </label>{' '}
      <button type="submit" className="button">
        Open my app
      </button>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="muted small-text" data-testid="open-app-result">
          <p>{result.message}</p>
          {result.scriptTag && (
            <p>
              <code data-testid="overlay-script-tag">{result.scriptTag}</code>{' '}
              <CopyButton text={result.scriptTag} />
            </p>
          )}
        </div>
      )}
    </form>
  );
}
