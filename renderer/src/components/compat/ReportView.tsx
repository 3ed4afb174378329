import { useState } from 'react';
import type { CheckReport } from '../../../../shared/checker/report.js';
import { withFieldLabels } from '../../../../shared/project-fields.js';
import { formatCount, formatDateTime, formatMs } from '../../lib/format.js';
import { type ExportFormat, useCompatStore } from '../../stores/compat.js';
import { FindingGroups } from './FindingGroups.js';

const VERDICT = {
  dual: {
    tone: 'ok',
    text: 'Dual: old (x-stack-*) and new (x-hexclave-*) SDKs both work against this backend.',
  },
  legacy: {
    tone: 'warn',
    text: 'Legacy: only the old x-stack-* protocol works; the new SDK will fail here.',
  },
  broken: { tone: 'error', text: 'Broken: the backend does not serve the SDKs correctly.' },
} as const;

const EXPORTS: readonly { format: ExportFormat; label: string }[] = [
  { format: 'json', label: 'JSON' },
  { format: 'markdown', label: 'Markdown' },
  { format: 'junit', label: 'JUnit' },
  { format: 'har', label: 'HAR' },
];

const yesNo = (works: boolean) => (
  <span className={`pill ${works ? 'ok' : 'error'}`}>{works ? 'works' : 'fails'}</span>
);

export function ReportView({ report }: { report: CheckReport }) {
  const exportRun = useCompatStore((s) => s.exportRun);
  const exportError = useCompatStore((s) => s.exportError);
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const verdict = VERDICT[report.backendClass];
  return (
    <div className="report" data-testid="report">
      <div className={`verdict ${verdict.tone}`} data-testid="verdict">
        <span className={`pill big ${verdict.tone}`} data-testid="verdict-class">
          {report.backendClass}
        </span>
        <div>
          <strong>{verdict.text}</strong>
          <ul className="reasons">
            {report.classReasons.map((reason) => (
              <li key={reason}>{withFieldLabels(reason)}</li>
            ))}
          </ul>
          <p className="muted small-text">
            {report.target.apiUrl} · project {report.target.projectId} ·{' '}
            <span data-testid="report-time">{formatDateTime(Date.parse(report.startedAt))}</span> ·{' '}
            {formatMs(report.wallMs)} · {formatCount(report.counts.error, 'error')},{' '}
            {formatCount(report.counts.warning, 'warning')}
          </p>
        </div>
      </div>
      <div className="sdk-matrix">
        <span>Old SDK (x-stack-*) {yesNo(report.oldSdkWorks)}</span>
        <span>New SDK (x-hexclave-*) {yesNo(report.newSdkWorks)}</span>
        <span>Mixed headers {yesNo(report.mixedWorks)}</span>
      </div>

      <section className="card" aria-labelledby="answers-title">
        <h2 id="answers-title">Test plan</h2>
        <table className="grid compact" data-testid="answers">
          <tbody>
            {report.answers.map((answer) => (
              <tr key={answer.id}>
                <td>{answer.question}</td>
                <td>
                  <span
                    className={`pill ${answer.answer === 'yes' ? 'ok' : answer.answer === 'no' ? 'error' : 'muted'}`}
                  >
                    {answer.answer}
                  </span>
                </td>
                <td className="muted">{withFieldLabels(answer.reason ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="findings-title">
        <h2 id="findings-title">Findings by identifier</h2>
        <FindingGroups findings={report.findings} />
      </section>

      <section className="card" aria-labelledby="scenarios-title">
        <h2 id="scenarios-title">Scenarios</h2>
        <table className="grid compact" data-testid="scenarios">
          <thead>
            <tr>
              <th>Scenario</th>
              <th>SDK</th>
              <th>Result</th>
              <th>What happened</th>
              <th className="num">Time</th>
            </tr>
          </thead>
          <tbody>
            {report.scenarios.map((scenario) => (
              <tr key={scenario.id}>
                <td>{scenario.title}</td>
                <td>{scenario.family ?? '—'}</td>
                <td>
                  <span
                    className={`pill ${scenario.status === 'pass' ? 'ok' : scenario.status === 'fail' ? 'error' : 'muted'}`}
                  >
                    {scenario.status}
                  </span>
                </td>
                <td>{withFieldLabels(scenario.summary)}</td>
                <td className="num">{formatMs(scenario.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="export-title">
        <h2 id="export-title">Export</h2>
        <div className="actions">
          {EXPORTS.map(({ format, label }) => (
            <button
              key={format}
              type="button"
              className="button"
              onClick={() => void exportRun(format, includeSecrets)}
            >
              {label}
            </button>
          ))}
          <label className="checkbox">
            <input
              type="checkbox"
              checked={includeSecrets}
              onChange={(event) => setIncludeSecrets(event.target.checked)}
            />{' '}
            Include secrets in the HAR (keys, tokens, cookies)
          </label>
        </div>
        <p className="muted small-text">
          {includeSecrets
            ? 'The HAR will contain live keys and tokens: share it only with people who may use them.'
            : 'The HAR is redacted: keys, tokens and cookies are replaced by fingerprints.'}
        </p>
        {exportError && (
          <p className="error-text" role="alert">
            {exportError}
          </p>
        )}
      </section>
    </div>
  );
}
