import { formatByteCap, MIRROR_OUTPUT_LIMITS } from '../../../../shared/mirror-limits.js';
import { toCsv } from '../../lib/csv.js';
import { downloadText } from '../../lib/download.js';
import { formatMs, formatNumber } from '../../lib/format.js';
import { useMirrorStore } from '../../stores/mirror.js';
import { ErrorState } from '../States.js';
import { PRIVILEGED_ROLE, PrivilegedRoleNotice } from './PrivilegedRoleNotice.js';
import { ResultTable, sortRows } from './ResultTable.js';
import { RowDetail } from './RowDetail.js';

const CELL_CAP = formatByteCap(MIRROR_OUTPUT_LIMITS.cellBytes);
const RESULT_CAP = formatByteCap(MIRROR_OUTPUT_LIMITS.resultBytes);

const REFUSAL_TITLES: Record<string, string> = {
  'Mirror:write': 'Refused: the console only reads',
  'Mirror:multiple-statements': 'Refused: one statement at a time',
  'Mirror:timeout': 'Stopped: the query ran past the time limit',
  'Mirror:lock': 'Waited too long for a locked table',
};

/** A read-only console: the same guards as the MCP tool (one statement, READ ONLY transaction, timeout, row cap). */
export function SqlConsole() {
  const {
    sql,
    setSql,
    runQuery,
    queryState,
    queryResult,
    queryError,
    querySort,
    setQuerySort,
    querySelectedRow,
    selectQueryRow,
  } = useMirrorStore();
  const rows = queryResult ? sortRows(queryResult.columns, queryResult.rows, querySort) : [];
  const selected = querySelectedRow === null ? undefined : rows[querySelectedRow];
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
          One statement, as a read-only role, in a READ ONLY transaction that is always rolled back; 5 s
          limit; at most 1,000 rows and {RESULT_CAP}, {CELL_CAP} a value.
        </span>
      </div>
      {queryError?.name === PRIVILEGED_ROLE && <PrivilegedRoleNotice message={queryError.message} />}
      {queryError && queryError.name !== PRIVILEGED_ROLE && (
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
            {queryResult.truncatedBy === 'row-limit' && ' — truncated at the row cap; add a LIMIT or a WHERE'}
            {queryResult.truncatedBy === 'byte-limit' &&
              ` — later rows left out: the result reached its ${RESULT_CAP} cap; select fewer or narrower columns`}
            {queryResult.truncatedCells > 0 &&
              `. ${formatNumber(queryResult.truncatedCells)} long ${queryResult.truncatedCells === 1 ? 'value is' : 'values are'} cut at ${CELL_CAP}, marked “… [truncated, N bytes]”`}
          </p>
          <div className="toolbar">
            <button
              type="button"
              className="button small"
              disabled={rows.length === 0}
              onClick={() => downloadText('query-result.csv', 'text/csv', toCsv(queryResult.columns, rows))}
            >
              Export CSV
            </button>
          </div>
          <div className="split">
            <ResultTable
              columns={queryResult.columns}
              rows={rows}
              selected={querySelectedRow}
              onSelect={selectQueryRow}
              sort={querySort}
              onSort={setQuerySort}
              testId="query-result"
            />
            {selected && (
              <RowDetail columns={queryResult.columns} row={selected} onClose={() => selectQueryRow(null)} />
            )}
          </div>
        </>
      )}
    </section>
  );
}
