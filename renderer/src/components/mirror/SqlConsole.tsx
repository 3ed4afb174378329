import { formatMs, formatNumber } from '../../lib/format.js';
import { useMirrorStore } from '../../stores/mirror.js';
import { ErrorState } from '../States.js';
import { ResultTable } from './ResultTable.js';

const REFUSAL_TITLES: Record<string, string> = {
  'Mirror:write': 'Refused: the console only reads',
  'Mirror:multiple-statements': 'Refused: one statement at a time',
  'Mirror:timeout': 'Stopped: the query ran past the time limit',
};

/** A read-only console: the same guards as the MCP tool (one statement, READ ONLY transaction, timeout, row cap). */
export function SqlConsole() {
  const { sql, setSql, runQuery, queryState, queryResult, queryError } = useMirrorStore();
  return (
    <section aria-labelledby="console-title" data-testid="sql-console">
      <h2 id="console-title" className="visually-hidden">
        SQL console
      </h2>
      <label className="field">
        <span>
          Read-only SQL against the mirror <span className="muted small-text">(Ctrl+Enter runs)</span>
        </span>
        <textarea
          className="sql"
          rows={6}
          spellCheck={false}
          value={sql}
          onChange={(event) => setSql(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              void runQuery();
            }
          }}
        />
      </label>
      <div className="toolbar">
        <button
          type="button"
          className="button primary"
          disabled={queryState === 'running'}
          onClick={() => void runQuery()}
        >
          {queryState === 'running' ? 'Running…' : 'Run'}
        </button>
        <span className="muted small-text">
          One statement, in a READ ONLY transaction that is always rolled back; 5 s limit; at most 1,000 rows.
        </span>
      </div>
      {queryError && (
        <ErrorState
          title={REFUSAL_TITLES[queryError.name] ?? 'The query failed'}
          message={queryError.message}
        />
      )}
      {queryResult && queryState === 'ready' && (
        <>
          <p className="muted small-text" data-testid="query-summary">
            {formatNumber(queryResult.rowCount)} {queryResult.rowCount === 1 ? 'row' : 'rows'} in{' '}
            {formatMs(queryResult.ms)}
            {queryResult.truncated && ' — truncated at the row cap; add a LIMIT or a WHERE'}
          </p>
          <ResultTable columns={queryResult.columns} rows={queryResult.rows} testId="query-result" />
        </>
      )}
    </section>
  );
}
