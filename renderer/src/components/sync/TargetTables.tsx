import { BACKLOG_COUNT_LIMIT } from '../../../../shared/sync/backlog.js';
import type { MappingProgress, TargetStatus } from '../../../../shared/sync/status.js';
import { formatAgo, formatBacklog, formatMs, formatNumber, formatRate } from '../../lib/format.js';
import { memoByValue } from '../../lib/memo.js';

const TARGET_TONE = { ok: 'ok', starting: '', retrying: 'warn', stopped: 'muted' } as const;

function MappingRow({ mapping }: { mapping: MappingProgress }) {
  return (
    <tr data-testid="mapping-row" data-mapping={mapping.mapping}>
      <td>
        <code>{mapping.mapping}</code>
      </td>
      <td className="num" title="Every change with a sequence id up to this one is in the mirror">
        {formatNumber(mapping.lastSyncedSequenceId)}
      </td>
      <td className="num">{formatNumber(mapping.internalMaxSequenceId)}</td>
      <td
        className="num"
        data-testid="mapping-backlog-rows"
        title={
          mapping.backlogRowsAtLeast
            ? `Counted up to ${formatNumber(BACKLOG_COUNT_LIMIT)} rows; at most ${formatNumber(mapping.backlogIds)} wait`
            : undefined
        }
      >
        {formatBacklog({ rows: mapping.backlogRows, atLeast: mapping.backlogRowsAtLeast })}
      </td>
      <td className="num">{formatNumber(mapping.backlogIds)}</td>
      <td className="num">{formatNumber(mapping.pendingSequencerRows)}</td>
      <td className="num" data-testid="mapping-rows-applied">
        {formatNumber(mapping.rowsApplied)}
      </td>
      <td className="num" data-testid="mapping-rate">
        {mapping.appliedByAnotherProcess ? (
          <span
            className="muted"
            title="Another sync process on this target is applying this mapping; this one follows its checkpoint"
          >
            another process
          </span>
        ) : (
          formatRate(mapping.rowsPerSec)
        )}
      </td>
      <td className="num">
        {mapping.lag.samples === 0
          ? 'no changes'
          : `${formatMs(mapping.lag.p50Ms)} / ${formatMs(mapping.lag.p99Ms)}`}
      </td>
      <td className="num">{mapping.oldestWaitingMs === null ? '—' : formatMs(mapping.oldestWaitingMs)}</td>
      <td className={mapping.lastError ? 'error-text' : 'muted'}>{mapping.lastError ?? 'none'}</td>
    </tr>
  );
}

/** Per target: its connection and health, then one row per mapping with checkpoint, backlog, rate and lag. */
export const TargetTables = memoByValue(function TargetTables({
  targets,
}: {
  targets: readonly TargetStatus[];
}) {
  return (
    <section className="card deferred" aria-labelledby="targets-title">
      <header className="card-header">
        <h2 id="targets-title">Targets and mappings</h2>
      </header>
      {targets.map((target) => (
        <div key={target.id} className="target" data-testid="target">
          <p>
            <strong>{target.id}</strong>{' '}
            <span className={`pill ${TARGET_TONE[target.state]}`}>{target.state}</span>{' '}
            <code className="muted">{target.connection}</code> · schema <code>{target.schema}</code>
            {target.pendingScopes > 0 && <> · {target.pendingScopes} tenancies queued</>}
          </p>
          {target.lastError && (
            <p className="error-text">
              {target.lastError}
              {target.consecutiveFailures > 0 && <> — failed {target.consecutiveFailures}× in a row</>}
              {target.nextRetryAtMillis && <>, retrying {formatAgo(target.nextRetryAtMillis)}</>}
            </p>
          )}
          <div className="table-scroll">
            <table className="grid compact">
              <thead>
                <tr>
                  <th>Mapping</th>
                  <th className="num">Checkpoint</th>
                  <th className="num">Max seq</th>
                  <th className="num">Backlog rows</th>
                  <th className="num">Backlog ids</th>
                  <th className="num">Unsequenced</th>
                  <th className="num">Rows applied</th>
                  <th className="num">Rows/s</th>
                  <th className="num">Lag p50 / p99</th>
                  <th className="num">Oldest waiting</th>
                  <th>Last error</th>
                </tr>
              </thead>
              <tbody>
                {target.mappings.map((m) => (
                  <MappingRow key={`${m.mapping}:${m.scope}`} mapping={m} />
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </section>
  );
});
