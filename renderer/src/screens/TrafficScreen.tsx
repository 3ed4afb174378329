import { useEffect, useState } from 'react';
import type { ProjectWithRuntime, TrafficSummary } from '../../../shared/api/workspace-schemas.js';
import { SEVERITY_LABEL } from '../../../shared/checker/finding.js';
import { TRAFFIC_FILTER_KEYS } from '../../../shared/traffic-filter.js';
import { CopyButton } from '../components/CopyButton.js';
import { ProjectGate } from '../components/ProjectGate.js';
import { EmptyState, ErrorState, LoadingState } from '../components/States.js';
import { ExchangeDetail } from '../components/traffic/ExchangeDetail.js';
import { type Column, VirtualTable } from '../components/VirtualTable.js';
import { formatClock, formatMs, formatNumber } from '../lib/format.js';
import { replaceRoute } from '../lib/router.js';
import { useTrafficStore } from '../stores/traffic.js';

const paths = new WeakMap<TrafficSummary, string>();

/** The URL's path and query, parsed once per exchange (rows re-render on every scrolled frame). */
function pathOf(item: TrafficSummary): string {
  let path = paths.get(item);
  if (path === undefined) {
    try {
      const parsed = new URL(item.url);
      path = parsed.pathname + parsed.search;
    } catch {
      path = item.url;
    }
    paths.set(item, path);
  }
  return path;
}

const COLUMNS: readonly Column<TrafficSummary>[] = [
  { key: 'seq', header: '#', width: '44px', render: (r) => r.seq },
  { key: 'time', header: 'Time', width: '74px', render: (r) => formatClock(r.startedAt) },
  { key: 'method', header: 'Method', width: '62px', render: (r) => r.method },
  {
    key: 'status',
    header: 'Status',
    width: '50px',
    render: (r) => (
      <span className={r.status !== null && r.status >= 400 ? 'error-text' : ''}>{r.status ?? '—'}</span>
    ),
  },
  {
    key: 'family',
    header: 'SDK',
    width: '58px',
    render: (r) => <span className={`pill family-${r.family}`}>{r.family}</span>,
  },
  {
    key: 'url',
    header: 'Path',
    width: 'minmax(120px, 1fr)',
    render: (r) => <span title={r.url}>{pathOf(r)}</span>,
  },
  {
    key: 'source',
    header: 'Seen by',
    width: '118px',
    render: (r) => (
      <span data-testid="traffic-sources" title="Every capturer that saw this request">
        {r.sources.join(' + ')}
      </span>
    ),
  },
  { key: 'duration', header: 'Took', width: '60px', render: (r) => formatMs(r.durationMs) },
  {
    key: 'findings',
    header: 'Findings',
    width: '80px',
    render: (r) =>
      r.worst ? (
        <span className={`pill ${r.worst}`}>{`${r.findingCount} ${SEVERITY_LABEL[r.worst]}`}</span>
      ) : (
        ''
      ),
  },
];

// Stable functions, so rows that stay on screen are not re-rendered while the list scrolls.
const seqKey = (r: TrafficSummary) => String(r.seq);
const openExchange = (r: TrafficSummary) => replaceRoute('traffic', String(r.seq));
const errorRowClass = (r: TrafficSummary) => (r.worst === 'error' ? 'row-error' : '');

function FilterHelp() {
  return (
    <div className="filter-help card" data-testid="filter-help">
      <p className="small-text">
        Terms are combined with AND; <code>-</code> before a term negates it; <code>a,b</code> means either;
        other text matches the URL; quote text with spaces or colons.
      </p>
      <dl className="facts small-text">
        {TRAFFIC_FILTER_KEYS.map((k) => (
          <div key={k.key} className="fact-row">
            <dt>
              <code>{k.example}</code>
            </dt>
            <dd>{k.description}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function Traffic({ project, seqParam }: { project: ProjectWithRuntime; seqParam: string | null }) {
  const store = useTrafficStore();
  const {
    open,
    items,
    visible,
    loadState,
    loadError,
    filterText,
    filterError,
    setFilter,
    select,
    selectedSeq,
  } = store;
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    void open(project.id);
  }, [open, project.id]);

  useEffect(() => {
    const seq = seqParam === null ? null : Number(seqParam);
    void select(seq !== null && Number.isInteger(seq) ? seq : null);
  }, [seqParam, select]);

  const proxyUrl = project.runtime.proxyUrl;
  return (
    <>
      <div className="toolbar">
        <input
          className="search filter"
          type="search"
          aria-label="Filter exchanges"
          aria-invalid={filterError !== null}
          aria-describedby="traffic-filter-error"
          placeholder="method:POST status-code:4xx family:old -has-response-header:x-hexclave-request-id sign-in"
          spellCheck={false}
          value={filterText}
          onChange={(event) => setFilter(event.target.value)}
        />
        <button
          type="button"
          className="button small"
          aria-expanded={helpOpen}
          onClick={() => setHelpOpen(!helpOpen)}
        >
          Filter help
        </button>
        <span className="muted small-text" data-testid="traffic-count">
          {formatNumber(visible.length)} of {formatNumber(items.length)} exchanges
        </span>
        <button
          type="button"
          className="button small"
          disabled={visible.length === 0}
          onClick={() => void store.exportHar()}
        >
          Export HAR (sanitized)
        </button>
        <button
          type="button"
          className="button small"
          disabled={items.length === 0}
          onClick={() => void store.clear()}
        >
          Clear
        </button>
      </div>
      <p id="traffic-filter-error" className="error-text small-text" role={filterError ? 'alert' : undefined}>
        {filterError}
      </p>
      {helpOpen && <FilterHelp />}
      {store.actionError && <div className="error-banner">{store.actionError}</div>}
      {proxyUrl && (
        <p className="muted small-text">
          Point your SDK's baseUrl at <code>{proxyUrl}</code> <CopyButton text={proxyUrl} /> to see its
          traffic here.
        </p>
      )}
      {loadState === 'loading' && <LoadingState label="Loading captured exchanges…" />}
      {loadState === 'error' && (
        <ErrorState
          title="Could not load the traffic"
          message={loadError ?? ''}
          onRetry={() => void open(project.id)}
        />
      )}
      {loadState === 'ready' && items.length === 0 && (
        <EmptyState title="No traffic yet">
          {proxyUrl
            ? 'Requests your app sends through the proxy URL above show up here as they happen.'
            : 'Start the project to get a capture proxy.'}
        </EmptyState>
      )}
      {items.length > 0 && (
        <div className="split traffic-split">
          <VirtualTable
            rows={visible}
            columns={COLUMNS}
            rowKey={seqKey}
            selectedKey={selectedSeq === null ? null : String(selectedSeq)}
            onSelect={openExchange}
            label="Captured exchanges"
            testId="traffic-table"
            height="calc(100vh - 260px)"
            followTail
            rowClass={errorRowClass}
          />
          <aside className="detail traffic-detail" aria-label="Exchange detail">
            {store.detailState === 'idle' && (
              <p className="muted">Select an exchange to see its headers side by side.</p>
            )}
            {store.detailState === 'loading' && <LoadingState label="Loading the exchange…" />}
            {store.detailState === 'error' && (
              <ErrorState title="Could not load this exchange" message={store.detailError ?? ''} />
            )}
            {store.detail && (
              <ExchangeDetail
                detail={store.detail}
                onExportHar={() => void store.exportHar([store.detail!.seq])}
                loadCurlWithSecrets={() => store.curlWithSecrets(store.detail!.seq)}
              />
            )}
          </aside>
        </div>
      )}
    </>
  );
}

export function TrafficScreen({ seqParam }: { seqParam: string | null }) {
  return (
    <section className="screen" aria-labelledby="traffic-title">
      <header className="screen-header">
        <h1 id="traffic-title">Traffic</h1>
        <p className="muted">
          Every exchange between your SDK and the backend, checked live against the rename's rules.
        </p>
      </header>
      <ProjectGate needsRunning={false}>
        {(project) => <Traffic project={project} seqParam={seqParam} />}
      </ProjectGate>
    </section>
  );
}
