import { useEffect, useState } from 'react';
import type { ProjectWithRuntime } from '../../../shared/api/workspace-schemas.js';
import { formatByteCap, MIRROR_OUTPUT_LIMITS } from '../../../shared/mirror-limits.js';
import { PRIVILEGED_ROLE, PrivilegedRoleNotice } from '../components/mirror/PrivilegedRoleNotice.js';
import { cellText, ResultTable } from '../components/mirror/ResultTable.js';
import { SqlConsole } from '../components/mirror/SqlConsole.js';
import { ProjectGate } from '../components/ProjectGate.js';
import { EmptyState, ErrorState, LoadingState } from '../components/States.js';
import { formatNumber } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { PAGE_SIZE, useMirrorStore } from '../stores/mirror.js';

function RowDetail() {
  const { page, selectedRow, selectRow } = useMirrorStore();
  const row = selectedRow === null ? null : page?.rows[selectedRow];
  if (!page || !row) return null;
  return (
    <aside className="detail" aria-label="Row detail" data-testid="row-detail">
      <header className="card-header">
        <h2>Row</h2>
        <button type="button" className="button small" onClick={() => selectRow(null)}>
          Close
        </button>
      </header>
      <dl>
        {page.columns.map((column, index) => (
          <div key={column} className="fact-row">
            <dt>{column}</dt>
            <dd>
              {typeof row[index] === 'object' && row[index] !== null ? (
                <pre className="code-block">{JSON.stringify(row[index], null, 2)}</pre>
              ) : (
                <code>{cellText(row[index])}</code>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}

function Browse({ tableParam }: { tableParam: string | null }) {
  const {
    tables,
    table,
    openTable,
    search,
    setSearch,
    offset,
    page,
    pageState,
    pageError,
    turnPage,
    selectedRow,
    selectRow,
  } = useMirrorStore();
  const wanted = tableParam ?? tables.find((t) => t.name === 'users')?.name ?? tables[0]?.name ?? null;
  useEffect(() => {
    if (wanted) void openTable(wanted);
  }, [wanted, openTable]);

  return (
    <div className="mirror-browse">
      <nav className="table-list" aria-label="Mirror tables">
        <ul className="list">
          {tables.map((t) => (
            <li key={t.name}>
              <button
                type="button"
                className="list-button"
                aria-current={t.name === table ? 'true' : undefined}
                onClick={() => navigate('mirror', t.name)}
              >
                <code>{t.name}</code>{' '}
                <span className="muted small-text" data-testid={`table-count-${t.name}`}>
                  {t.rows === null ? 'not created yet' : formatNumber(t.rows)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="mirror-main">
        <div className="toolbar">
          <input
            className="search"
            type="search"
            aria-label={`Search ${table ?? 'the table'}`}
            placeholder="Search text and id columns, e.g. an e-mail address"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <button
            type="button"
            className="button small"
            disabled={offset === 0}
            onClick={() => void turnPage(-1)}
          >
            Previous
          </button>
          <span className="muted small-text">
            {page ? `rows ${formatNumber(offset + 1)}–${formatNumber(offset + page.rows.length)}` : ''}
          </span>
          <button
            type="button"
            className="button small"
            disabled={!page?.truncated}
            onClick={() => void turnPage(1)}
          >
            Next
          </button>
        </div>
        {pageState === 'loading' && !page && <LoadingState label="Reading the mirror…" />}
        {pageState === 'error' && <ErrorState title="Could not read this table" message={pageError ?? ''} />}
        {page && page.rows.length === 0 && (
          <EmptyState title={search ? `Nothing matches “${search}”` : 'This table is empty'}>
            {search
              ? 'Search looks in text and id columns.'
              : 'Rows appear here as the sync engine copies them.'}
          </EmptyState>
        )}
        {page && page.rows.length > 0 && (
          <div className="split">
            <ResultTable
              columns={page.columns}
              rows={page.rows}
              selected={selectedRow}
              onSelect={selectRow}
              testId="mirror-rows"
            />
            <RowDetail />
          </div>
        )}
        {page && (
          <p className="muted small-text">
            {PAGE_SIZE} rows per page, ordered by primary key.
            {page.truncatedCells > 0 &&
              ` ${formatNumber(page.truncatedCells)} long ${page.truncatedCells === 1 ? 'value is' : 'values are'} cut, marked “… [truncated, N bytes]”.`}
            {page.truncatedBy === 'byte-limit' &&
              ` This page stops early: its rows reached the ${formatByteCap(MIRROR_OUTPUT_LIMITS.resultBytes)} cap.`}
          </p>
        )}
      </div>
    </div>
  );
}

function Mirror({ project, tableParam }: { project: ProjectWithRuntime; tableParam: string | null }) {
  const { open, tablesState, tablesError, tablesErrorName } = useMirrorStore();
  const [tab, setTab] = useState<'browse' | 'console'>('browse');
  useEffect(() => {
    void open(project.id);
  }, [open, project.id]);

  if (tablesState === 'loading') return <LoadingState label="Listing the mirror’s tables…" />;
  if (tablesState === 'error' && tablesErrorName === PRIVILEGED_ROLE) {
    return <PrivilegedRoleNotice message={tablesError ?? ''} />;
  }
  if (tablesState === 'error') {
    return (
      <ErrorState
        title="Could not reach the mirror"
        message={tablesError ?? ''}
        onRetry={() => void open(project.id)}
      />
    );
  }
  return (
    <>
      <div className="tabs" role="tablist" aria-label="Mirror views">
        {(['browse', 'console'] as const).map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`tab ${tab === id ? 'active' : ''}`}
            onClick={() => setTab(id)}
          >
            {id === 'browse' ? 'Browse tables' : 'SQL console'}
          </button>
        ))}
        <button type="button" className="button small refresh" onClick={() => void open(project.id)}>
          Refresh
        </button>
      </div>
      {tab === 'browse' ? <Browse tableParam={tableParam} /> : <SqlConsole />}
    </>
  );
}

export function MirrorScreen({ tableParam }: { tableParam: string | null }) {
  return (
    <section className="screen" aria-labelledby="mirror-title">
      <header className="screen-header">
        <h1 id="mirror-title">Mirror</h1>
        <p className="muted">
          Your users, contact channels and teams as the sync engine mirrored them, read-only.
        </p>
      </header>
      <ProjectGate needsRunning>
        {(project) => <Mirror project={project} tableParam={tableParam} />}
      </ProjectGate>
    </section>
  );
}
