import { useEffect, useState } from 'react';
import type { ProjectWithRuntime } from '../../../shared/api/workspace-schemas.js';
import { formatByteCap, MIRROR_OUTPUT_LIMITS } from '../../../shared/mirror-limits.js';
import { PRIVILEGED_ROLE, PrivilegedRoleNotice } from '../components/mirror/PrivilegedRoleNotice.js';
import { ResultTable } from '../components/mirror/ResultTable.js';
import { RowDetail } from '../components/mirror/RowDetail.js';
import { SqlConsole } from '../components/mirror/SqlConsole.js';
import { ProjectGate } from '../components/ProjectGate.js';
import { EmptyState, ErrorState, LoadingState } from '../components/States.js';
import { toCsv } from '../lib/csv.js';
import { downloadText } from '../lib/download.js';
import { formatNumber } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { PAGE_SIZE, useMirrorStore } from '../stores/mirror.js';

function PageRowDetail() {
  const { page, selectedRow, selectRow } = useMirrorStore();
  const row = selectedRow === null ? null : page?.rows[selectedRow];
  if (!page || !row) return null;
  return <RowDetail columns={page.columns} row={row} onClose={() => selectRow(null)} />;
}

/** "rows 1–100", or nothing to count. */
function rangeLabel(offset: number, shown: number): string {
  return shown === 0 ? 'no rows' : `rows ${formatNumber(offset + 1)}–${formatNumber(offset + shown)}`;
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
    pageErrorName,
    turnPage,
    selectedRow,
    selectRow,
    sort,
    setSort,
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
                <span
                  className="muted small-text"
                  data-testid={`table-count-${t.name}`}
                  title={
                    t.locked
                      ? 'Locked by another session. The sync engine holds an empty mirror table until its first copy commits.'
                      : undefined
                  }
                >
                  {t.locked
                    ? 'locked (first copy?)'
                    : t.rows === null
                      ? 'not created yet'
                      : formatNumber(t.rows)}
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
          <span className="muted small-text" data-testid="page-range">
            {page ? rangeLabel(offset, page.rows.length) : ''}
          </span>
          <button
            type="button"
            className="button small"
            disabled={!page?.truncated}
            onClick={() => void turnPage(1)}
          >
            Next
          </button>
          <button
            type="button"
            className="button small"
            disabled={!page || page.rows.length === 0}
            title="The rows on this page, in this order, as CSV"
            onClick={() =>
              page &&
              downloadText(
                `${table}-rows-${offset + 1}-${offset + page.rows.length}.csv`,
                'text/csv',
                toCsv(page.columns, page.rows),
              )
            }
          >
            Export page as CSV
          </button>
        </div>
        {pageState === 'loading' && !page && <LoadingState label="Reading the mirror…" />}
        {pageState === 'error' && pageErrorName === 'Mirror:not-created' && (
          <EmptyState title={`${table} is not in the mirror yet`}>{pageError}</EmptyState>
        )}
        {pageState === 'error' && pageErrorName !== 'Mirror:not-created' && (
          <ErrorState title="Could not read this table" message={pageError ?? ''} />
        )}
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
              sort={sort}
              onSort={(next) => void setSort(next)}
              testId="mirror-rows"
            />
            <PageRowDetail />
          </div>
        )}
        {page && (
          <p className="muted small-text">
            {PAGE_SIZE} rows per page, ordered by{' '}
            {sort ? `${sort.column} (${sort.direction === 'asc' ? 'ascending' : 'descending'}), then ` : ''}
            primary key; click a column to sort.
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
