import type { ApiOutput } from '../../../../shared/api/contract.js';
import { formatDateTime } from '../../lib/format.js';
import { withKeys } from '../../lib/keys.js';
import { memoByValue } from '../../lib/memo.js';

type SyncError = ApiOutput<'sync.status'>['errors'][number];

/** Errors from every stage, newest first; main has already redacted connection strings, keys and tokens. */
export const SyncErrors = memoByValue(function SyncErrors({ errors }: { errors: readonly SyncError[] }) {
  return (
    <section className="card deferred" aria-labelledby="sync-errors-title" data-testid="sync-errors">
      <header className="card-header">
        <h2 id="sync-errors-title">Errors</h2>
        <span className="muted small-text">{errors.length === 0 ? 'none' : `${errors.length} recent`}</span>
      </header>
      {errors.length === 0 ? (
        <p className="muted">No errors since this project started.</p>
      ) : (
        <ol className="error-list">
          {withKeys(errors, (e) => `${e.at}:${e.message}`)
            .reverse()
            .map(([key, error]) => (
              <li key={key}>
                <span className="muted">{formatDateTime(error.at)}</span>{' '}
                <span className="pill error">{error.stage}</span>
                {error.target && <span className="pill muted">{error.target}</span>}
                <pre className="error-text">{error.message}</pre>
              </li>
            ))}
        </ol>
      )}
    </section>
  );
});
