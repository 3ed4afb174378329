import { useEffect } from 'react';
import type { ApiOutput } from '../../../shared/api/contract.js';
import type { ProjectWithRuntime } from '../../../shared/api/workspace-schemas.js';
import { VERDICT_KINDS, VERDICT_LABELS, type VerdictKind } from '../../../shared/scan/verdict.js';
import { ProjectGate } from '../components/ProjectGate.js';
import { Stat } from '../components/Stat.js';
import { EmptyState, ErrorState, LoadingState } from '../components/States.js';
import { useMigrateStore } from '../stores/migrate.js';

type Report = ApiOutput<'scan.project'>;

const TONE: Record<VerdictKind, 'ok' | 'warn' | 'error' | undefined> = {
  breaks: 'error',
  'needs-new-sdk': 'warn',
  'prefer-new': 'warn',
  'keeps-working': 'ok',
  'out-of-scope': undefined,
};

function Findings({ report, kind }: { report: Report; kind: VerdictKind }) {
  const findings = report.findings.filter((f) => f.verdict.kind === kind);
  if (findings.length === 0) return null;
  return (
    <section className="card" aria-labelledby={`verdict-${kind}`} data-testid={`migrate-${kind}`}>
      <h2 id={`verdict-${kind}`}>
        {VERDICT_LABELS[kind]} ({findings.length})
      </h2>
      <table className="grid compact">
        <thead>
          <tr>
            <th>Where</th>
            <th>Identifier</th>
            <th>Verdict</th>
            <th>Fix</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f) => (
            <tr key={`${f.file}:${f.line}:${f.column}:${f.entryId}`}>
              <td>
                <code>
                  {f.file}:{f.line}:{f.column}
                </code>
              </td>
              <td>
                <code>{f.identifier}</code>
                {f.twin && <span className="muted"> → {f.twin}</span>}
                <div className="muted small-text">
                  {f.entryId} · {f.policy}
                </div>
              </td>
              <td>
                <span className={`pill ${TONE[kind] ?? 'muted'}`}>{f.verdict.text}</span>
                <div className="muted small-text">{f.verdict.why}</div>
              </td>
              <td>{f.fix}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Deploy({ report }: { report: Report }) {
  const { apps, hazards } = report.deploy;
  return (
    <section className="card" aria-labelledby="deploy-title" data-testid="migrate-deploy">
      <h2 id="deploy-title">Deploy</h2>
      {apps.length === 0 ? (
        <p className="muted">No package.json in this folder depends on @stackframe/*.</p>
      ) : (
        <table className="grid compact">
          <thead>
            <tr>
              <th>App</th>
              <th>SDK packages</th>
              <th>Generation</th>
            </tr>
          </thead>
          <tbody>
            {apps.map((app) => (
              <tr key={app.dir}>
                <td>
                  <code>{app.dir}</code>
                </td>
                <td>
                  {app.packages.map((p) => (
                    <div key={p.name}>
                      <code>
                        {p.name}@{p.version ?? p.declared ?? '?'}
                      </code>{' '}
                      <span className="muted small-text">from {p.source}</span>
                    </div>
                  ))}
                </td>
                <td>{app.generation === 'unknown' ? 'not checked' : app.generation}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hazards.map((h) => (
        <div key={h.id} className="hazard" data-testid="migrate-hazard">
          <strong>{h.title}</strong>
          <p>{h.detail}</p>
          <p className="muted small-text">Registry: {h.entryIds.join(', ')}</p>
        </div>
      ))}
    </section>
  );
}

function Migrate({ project }: { project: ProjectWithRuntime }) {
  const { report, state, error, load } = useMigrateStore();
  const folder = project.folder;
  useEffect(() => {
    if (folder) void load(project.id);
  }, [load, project.id, folder]);

  if (!folder) {
    return (
      <EmptyState title={`${project.name} has no project folder`}>
        The scan reads your app's code, so it needs the folder you connect a project with.
      </EmptyState>
    );
  }
  if (state === 'error' && !report) {
    return (
      <ErrorState
        title="Could not scan the folder"
        message={error ?? ''}
        onRetry={() => void load(project.id)}
      />
    );
  }
  if (!report) return <LoadingState label={`Scanning ${folder}…`} />;
  return (
    <>
      <div className="stats">
        {VERDICT_KINDS.map((kind) => (
          <Stat
            key={kind}
            label={VERDICT_LABELS[kind]}
            value={report.summary.byVerdict[kind]}
            tone={report.summary.byVerdict[kind] > 0 ? TONE[kind] : undefined}
            testId={`migrate-count-${kind}`}
          />
        ))}
      </div>
      <p className="muted small-text">
        {report.filesScanned} files in <code>{report.root}</code> scanned in {report.durationMs} ms
        {report.truncated &&
          `; showing the ${report.findings.length} most severe of ${report.summary.findings}`}
        .{' '}
        <button
          type="button"
          className="button small"
          onClick={() => void load(project.id)}
          disabled={state === 'loading'}
        >
          {state === 'loading' ? 'Scanning…' : 'Scan again'}
        </button>
      </p>
      {report.summary.findings === 0 && <EmptyState title="No Stack or Hexclave identifiers found" />}
      {VERDICT_KINDS.map((kind) => (
        <Findings key={kind} report={report} kind={kind} />
      ))}
      <Deploy report={report} />
    </>
  );
}

export function MigrateScreen() {
  return (
    <section className="screen" aria-labelledby="migrate-title">
      <header className="screen-header">
        <h1 id="migrate-title">Migrate</h1>
        <p className="muted">
          What in your code and deploy breaks, keeps working, or should change as Stack Auth becomes Hexclave.
          Read-only; <code>hexclave-companion scan --fix</code> applies the safe rewrites.
        </p>
      </header>
      <ProjectGate needsRunning={false}>{(project) => <Migrate project={project} />}</ProjectGate>
    </section>
  );
}
