import { useEffect, useMemo } from 'react';
import type { ProjectWithRuntime } from '../../../shared/api/workspace-schemas.js';
import { BACKLOG_COUNT_LIMIT, backlogTotal } from '../../../shared/sync/backlog.js';
import type { SyncStatus } from '../../../shared/sync/status.js';
import { HealthBadges } from '../components/HealthBadges.js';
import { ProjectGate } from '../components/ProjectGate.js';
import { Stat } from '../components/Stat.js';
import { EmptyState, ErrorState, LoadingState } from '../components/States.js';
import { BackfillProgress } from '../components/sync/BackfillProgress.js';
import { Fusebox } from '../components/sync/Fusebox.js';
import {
  ApiSourcePanel,
  QueuePanel,
  SequencerPanel,
  WatermarkPanel,
} from '../components/sync/SourcePanels.js';
import { SyncErrors } from '../components/sync/SyncErrors.js';
import { TargetTables } from '../components/sync/TargetTables.js';
import { TimeSeriesChart } from '../components/TimeSeriesChart.js';
import { backfillProgress } from '../lib/backfill.js';
import { formatBacklog, formatNumber, formatRate, formatSeconds } from '../lib/format.js';
import { lagFigures, lagValue, lagWindowHint, waitingValue } from '../lib/lag.js';
import { useSyncStore } from '../stores/sync.js';

const RATE_SERIES = [{ label: 'rows/s', color: '#4f8ef7' }];
const LAG_SERIES = [
  { label: 'p50', color: '#3bb273' },
  { label: 'p99', color: '#e0a43a' },
];
// Rows as counted: a count stops at BACKLOG_COUNT_LIMIT per mapping, and the ids span bounds what waits above it.
const BACKLOG_SERIES = [
  { label: `rows (counted to ${formatNumber(BACKLOG_COUNT_LIMIT)} each)`, color: '#b070e0' },
  { label: 'ids', color: '#8a8f98' },
];

function describeSource(status: SyncStatus): string {
  const { source } = status;
  const reading =
    source.kind === 'api'
      ? 'Reading users through the backend API'
      : source.changeCapture === 'triggers'
        ? 'Reading the internal database; changes announced by triggers'
        : 'Reading the internal database with upstream’s sequencer';
  return `${reading} · ${source.mappings.length} mappings · ${source.connection}`;
}

function Charts() {
  const chart = useSyncStore((s) => s.chart);
  const rate = useMemo(() => [chart.at, chart.rowsPerSec], [chart]);
  const lag = useMemo(() => [chart.at, chart.lagP50Ms, chart.lagP99Ms], [chart]);
  const backlog = useMemo(() => [chart.at, chart.backlogRows, chart.backlogIds], [chart]);
  return (
    <div className="charts">
      <div className="card chart-card">
        <TimeSeriesChart title="Rows applied per second" unit="rows/s" series={RATE_SERIES} data={rate} />
      </div>
      <div className="card chart-card">
        <TimeSeriesChart title="Change-to-mirror lag" unit="ms" series={LAG_SERIES} data={lag} />
      </div>
      <div className="card chart-card">
        <TimeSeriesChart title="Backlog" unit="rows / ids" series={BACKLOG_SERIES} data={backlog} />
      </div>
    </div>
  );
}

function Headline({ status }: { status: SyncStatus }) {
  const mappings = status.targets.flatMap((t) => t.mappings);
  const backlog = backlogTotal(mappings);
  const backlogIds = mappings.reduce((ids, m) => ids + m.backlogIds, 0);
  const lag = lagFigures(status);
  const progress = backfillProgress(status);
  return (
    <div className="stats" data-testid="sync-headline">
      <Stat
        label="Backlog"
        value={formatBacklog(backlog)}
        hint={`rows · ${formatNumber(backlogIds)} ids`}
        testId="backlog-rows"
        tone={backlog.rows > 0 ? 'warn' : 'ok'}
      />
      <Stat label="Throughput" value={formatRate(progress.rowsPerSec)} hint="rows applied, last 10 s" />
      <Stat
        label="Lag p50"
        value={lagValue(lag.p50Ms, lag.samples)}
        hint={lagWindowHint(lag)}
        testId="lag-p50"
      />
      <Stat
        label="Lag p99"
        value={lagValue(lag.p99Ms, lag.samples)}
        hint={lagWindowHint(lag)}
        testId="lag-p99"
      />
      <Stat
        label="Oldest waiting"
        value={waitingValue(lag)}
        hint="age of the oldest change not yet mirrored"
        testId="oldest-waiting"
        tone={lag.oldestWaitingMs !== null && lag.oldestWaitingMs > 10_000 ? 'warn' : undefined}
      />
      <Stat
        label="Rows applied"
        value={formatNumber(progress.applied)}
        hint="since the engine started"
        testId="rows-applied"
      />
      <Stat
        label="Unsequenced"
        value={formatNumber(progress.unsequenced)}
        hint="rows waiting for the sequencer"
      />
      <Stat
        label="ETA"
        value={
          progress.etaSeconds === null
            ? progress.phase === 'caught-up'
              ? 'done'
              : '—'
            : `${progress.remainingAtLeast ? '≤ ' : ''}${formatSeconds(progress.etaSeconds)}`
        }
        hint={progress.phase === 'caught-up' ? 'the mirror is caught up' : 'to drain the backlog'}
      />
    </div>
  );
}

function Monitor({ project }: { project: ProjectWithRuntime }) {
  const { status, errors, loadState, loadError, open, syncNow, runSyncNow, liveUpdates } = useSyncStore();
  useEffect(() => {
    void open(project.id);
  }, [open, project.id]);

  if (loadState === 'error' && !status) {
    return (
      <ErrorState
        title="Could not read the sync status"
        message={loadError ?? ''}
        onRetry={() => void open(project.id)}
      />
    );
  }
  const health = <HealthBadges health={project.health} />;
  if (!status) {
    if (loadState === 'ready' && project.syncSource === 'none') {
      return (
        <>
          {health}
          <EmptyState title="Nothing to mirror yet">
            This project has no sync source. Add its internal database URL (full pipeline) or its secret
            server key (users through the API) in Projects.
          </EmptyState>
        </>
      );
    }
    return (
      <>
        {health}
        <LoadingState label="Waiting for the sync engine’s first status…" />
      </>
    );
  }
  return (
    <>
      {health}
      <div className="toolbar">
        <p className="muted source-line" data-testid="source-line">
          {describeSource(status)}
        </p>
        <button type="button" className="button" disabled={syncNow.running} onClick={() => void runSyncNow()}>
          {syncNow.running ? 'Syncing…' : 'Sync now'}
        </button>
        <span className="muted small-text" role="status" data-testid="sync-now-result">
          {syncNow.result &&
            `Applied ${formatNumber(syncNow.result.rowsApplied)} rows in ${formatSeconds(syncNow.result.seconds)}.`}
          {syncNow.error}
        </span>
        <span className="live-dot" title={`${liveUpdates} live updates`} aria-hidden="true" />
      </div>
      {!status.fusebox.workers && (
        <div className="warning-banner" role="status" data-testid="workers-paused">
          Workers are paused: changes wait in the backlog. Switch them back on in the fusebox to drain it.
        </div>
      )}
      {status.source.lastError && <div className="error-banner">{status.source.lastError}</div>}
      {status.source.notes.map((note) => (
        <div key={note} className="info-banner">
          {note}
        </div>
      ))}
      <Headline status={status} />
      <BackfillProgress status={status} />
      <Charts />
      <div className="columns">
        <Fusebox fusebox={status.fusebox} sourceKind={status.source.kind} />
        {status.queue && <QueuePanel queue={status.queue} />}
        <WatermarkPanel source={status.source} />
      </div>
      <TargetTables targets={status.targets} />
      {status.source.skippedMappings.length > 0 && (
        <div className="info-banner">
          Not mirrored:{' '}
          {status.source.skippedMappings.map((s) => (
            <span key={s.mapping}>
              <code>{s.mapping}</code> ({s.reason}){' '}
            </span>
          ))}
        </div>
      )}
      {status.sequencer && <SequencerPanel sequencer={status.sequencer} />}
      {status.api && <ApiSourcePanel api={status.api} />}
      <SyncErrors errors={errors} />
    </>
  );
}

export function SyncScreen() {
  return (
    <section className="screen" aria-labelledby="sync-title">
      <header className="screen-header">
        <h1 id="sync-title">Sync monitor</h1>
        <p className="muted">
          Live backlog, throughput and lag of the mirror, with the switches to pause each stage.
        </p>
      </header>
      <ProjectGate needsRunning>{(project) => <Monitor project={project} />}</ProjectGate>
    </section>
  );
}
