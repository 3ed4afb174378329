import type { SyncStatus } from '../../../../shared/sync/status.js';
import { formatAgo, formatClock, formatMs, formatNumber } from '../../lib/format.js';
import { memoByValue } from '../../lib/memo.js';

function StatsTable({
  rows,
}: {
  rows: readonly {
    name: string;
    total: number;
    pending: number;
    nullSequenceId: number;
    minSequenceId: number | null;
    maxSequenceId: number | null;
  }[];
}) {
  return (
    <table className="grid compact">
      <thead>
        <tr>
          <th>Table</th>
          <th className="num">Total</th>
          <th className="num">Pending</th>
          <th className="num">Null seq</th>
          <th className="num">Min seq</th>
          <th className="num">Max seq</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <td>
              <code>{row.name}</code>
            </td>
            <td className="num">{formatNumber(row.total)}</td>
            <td className={`num ${row.pending > 0 ? 'warn-text' : ''}`}>{formatNumber(row.pending)}</td>
            <td className="num">{formatNumber(row.nullSequenceId)}</td>
            <td className="num">{formatNumber(row.minSequenceId)}</td>
            <td className="num">{formatNumber(row.maxSequenceId)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Upstream's sequencer card: per source table, rows pending a sequence id, and tombstones by table. */
export const SequencerPanel = memoByValue(function SequencerPanel({
  sequencer,
}: {
  sequencer: NonNullable<SyncStatus['sequencer']>;
}) {
  const tables = Object.entries(sequencer.tables).map(([name, stats]) => ({ name, ...stats }));
  return (
    <section className="card deferred" aria-labelledby="sequencer-title">
      <header className="card-header">
        <h2 id="sequencer-title">Sequencer</h2>
        <span className="muted small-text">
          {formatNumber(sequencer.ticks)} ticks · {formatNumber(sequencer.rowsStamped)} rows stamped · last
          tick {formatClock(sequencer.lastTickAtMillis)}
        </span>
      </header>
      <div className="table-scroll">
        <StatsTable rows={tables} />
      </div>
      <p className="muted small-text">Table totals scan whole tables, so they refresh every few seconds.</p>
      <h3>Deleted rows by table</h3>
      {sequencer.deletedRowsByTable.length === 0 ? (
        <p className="muted">No deleted rows recorded yet.</p>
      ) : (
        <div className="table-scroll">
          <StatsTable rows={sequencer.deletedRowsByTable.map((d) => ({ ...d, name: d.tableName }))} />
        </div>
      )}
    </section>
  );
});

export const QueuePanel = memoByValue(function QueuePanel({
  queue,
}: {
  queue: NonNullable<SyncStatus['queue']>;
}) {
  return (
    <section className="card" aria-labelledby="queue-title">
      <header className="card-header">
        <h2 id="queue-title">Queue</h2>
      </header>
      <dl className="facts">
        <dt>Pending</dt>
        <dd data-testid="queue-pending">{formatNumber(queue.pending)}</dd>
        <dt>In flight</dt>
        <dd>{formatNumber(queue.inFlight)}</dd>
        <dt>Stale</dt>
        <dd className={queue.stale > 0 ? 'warn-text' : ''}>
          {formatNumber(queue.stale)} (reclaimed on the next poll)
        </dd>
        <dt>Oldest pending</dt>
        <dd>{queue.oldestPendingAgeMs === null ? 'none' : `${formatMs(queue.oldestPendingAgeMs)} old`}</dd>
        <dt>Total · reclaimed</dt>
        <dd>
          {formatNumber(queue.total)} · {formatNumber(queue.reclaimed)}
        </dd>
        <dt>Oldest · newest request</dt>
        <dd>
          {formatClock(queue.oldestCreatedAtMillis)} · {formatClock(queue.newestCreatedAtMillis)}
        </dd>
      </dl>
    </section>
  );
});

export const WatermarkPanel = memoByValue(function WatermarkPanel({
  source,
}: {
  source: SyncStatus['source'];
}) {
  const { watermark } = source;
  return (
    <section className="card" aria-labelledby="watermark-title">
      <header className="card-header">
        <h2 id="watermark-title">Safe watermark</h2>
      </header>
      {watermark ? (
        <dl className="facts">
          <dt>Safe sequence id</dt>
          <dd data-testid="safe-watermark">{formatNumber(watermark.safeSequenceId)}</dd>
          <dt>Head</dt>
          <dd>{formatNumber(watermark.headSequenceId)}</dd>
          <dt>Open transactions holding ids</dt>
          <dd className={watermark.holders > 0 ? 'warn-text' : ''}>
            {watermark.holders}
            {watermark.oldestHolderSinceMillis !== null && (
              <>, oldest since {formatAgo(watermark.oldestHolderSinceMillis)}</>
            )}
          </dd>
        </dl>
      ) : (
        <p className="muted">Not observed for this source (an API source reads users by pages instead).</p>
      )}
      <p className="muted small-text">
        Every sequence id up to the safe watermark came from a finished transaction, so the workers never skip
        a change that commits late.
      </p>
    </section>
  );
});

export const ApiSourcePanel = memoByValue(function ApiSourcePanel({
  api,
}: {
  api: NonNullable<SyncStatus['api']>;
}) {
  return (
    <section className="card deferred" aria-labelledby="api-source-title">
      <header className="card-header">
        <h2 id="api-source-title">API rounds</h2>
      </header>
      <dl className="facts">
        <dt>Rounds</dt>
        <dd>{formatNumber(api.rounds)}</dd>
        <dt>Users seen</dt>
        <dd>{formatNumber(api.usersSeen)}</dd>
        <dt>Last round</dt>
        <dd>
          {formatAgo(api.lastRoundAtMillis)} ({formatMs(api.lastRoundMs)})
        </dd>
        <dt>Next round</dt>
        <dd>{formatAgo(api.nextRoundAtMillis)}</dd>
      </dl>
    </section>
  );
});
