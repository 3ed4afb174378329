import type { SyncStatus } from '../../../../shared/sync/status.js';
import { backfillProgress } from '../../lib/backfill.js';
import { formatBacklog, formatNumber, formatRate, formatSeconds } from '../../lib/format.js';

const PHASE_TEXT = {
  'caught-up': 'Up to date: every change the sequencer has stamped is in the mirror.',
  running: 'Copying into the mirror',
  paused: 'Workers are paused: changes wait in the backlog until you switch them back on.',
  waiting: 'Waiting for the workers to claim the next page…',
} as const;

export function BackfillProgress({ status }: { status: SyncStatus }) {
  const progress = backfillProgress(status);
  const percent = Math.floor(progress.fraction * 1000) / 10;
  const remaining = formatBacklog({ rows: progress.remaining, atLeast: progress.remainingAtLeast });
  return (
    <section className="card" aria-labelledby="backfill-title" data-testid="backfill">
      <header className="card-header">
        <h2 id="backfill-title">Backfill</h2>
        <span
          className={`pill ${progress.phase === 'caught-up' ? 'ok' : progress.phase === 'paused' ? 'warn' : ''}`}
        >
          {progress.phase === 'caught-up' ? 'caught up' : progress.phase}
        </span>
      </header>
      <div
        className="progress"
        role="progressbar"
        aria-label="Rows copied into the mirror"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        {/* scaleX, not width: the compositor moves it without a layout or a repaint. */}
        <div className="progress-bar" style={{ transform: `scaleX(${progress.fraction})` }} />
      </div>
      <p className="muted">
        {PHASE_TEXT[progress.phase]}
        {progress.phase === 'running' && (
          <>
            : {formatNumber(progress.applied)} rows applied, {remaining} to go at{' '}
            {formatRate(progress.rowsPerSec)}
            {progress.etaSeconds !== null && (
              <>
                {' '}
                —{' '}
                <strong data-testid="backfill-eta">
                  {progress.remainingAtLeast ? 'at most' : 'about'} {formatSeconds(progress.etaSeconds)} left
                </strong>
              </>
            )}
          </>
        )}
        {progress.phase !== 'running' && progress.remaining > 0 && <> ({remaining} rows waiting)</>}
      </p>
    </section>
  );
}
