import { SEVERITY_LABEL } from '../../../../shared/checker/finding.js';
import type { ReportFinding } from '../../../../shared/checker/report.js';
import { withKeys } from '../../lib/keys.js';

interface Group {
  readonly key: string;
  readonly title: string;
  readonly twin: string | null;
  readonly findings: ReportFinding[];
}

const RANK = { error: 0, warning: 1, info: 2, 'not-checked': 3 } as const;
const GENERAL = '(general)';

function groupByIdentifier(findings: readonly ReportFinding[]): Group[] {
  const groups = new Map<string, Group>();
  for (const finding of findings) {
    const key = finding.identifier?.id ?? GENERAL;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        title: finding.identifier?.stack ?? 'Not tied to one identifier',
        twin: finding.identifier?.hexclave ?? null,
        findings: [],
      };
      groups.set(key, group);
    }
    group.findings.push(finding);
  }
  const worst = (g: Group) => Math.min(...g.findings.map((f) => RANK[f.severity]));
  return [...groups.values()].sort((a, b) => worst(a) - worst(b) || a.title.localeCompare(b.title));
}

/** Findings grouped by the identifier they concern, worst group first, each with expected / actual / evidence. */
export function FindingGroups({ findings }: { findings: readonly ReportFinding[] }) {
  if (findings.length === 0) {
    return <p className="muted">No findings: every identifier behaved as its policy says.</p>;
  }
  return (
    <div className="finding-groups" data-testid="finding-groups">
      {groupByIdentifier(findings).map((group) => (
        <details
          key={group.key}
          className="finding-group"
          open={group.findings.some((f) => f.severity === 'error')}
        >
          <summary>
            {group.key === GENERAL ? group.title : <code>{group.title}</code>}
            {group.twin && (
              <>
                {' '}
                ↔ <code>{group.twin}</code>
              </>
            )}{' '}
            <span className="muted small-text">
              {group.findings.length} finding{group.findings.length === 1 ? '' : 's'}
            </span>
          </summary>
          {withKeys(group.findings, (f) => `${f.ruleId}:${f.message}`).map(([key, finding]) => (
            <div key={key} className={`finding ${finding.severity}`} data-testid="finding">
              <p>
                <span className={`pill ${finding.severity}`}>{SEVERITY_LABEL[finding.severity]}</span>{' '}
                {finding.message}{' '}
                <span className="muted small-text">
                  {finding.ruleId} · {finding.scenarioId}
                  {finding.occurrences > 1 && ` · seen ${finding.occurrences}×`}
                </span>
              </p>
              <dl className="facts">
                <dt>Expected</dt>
                <dd>{finding.expected}</dd>
                <dt>Actual</dt>
                <dd>{finding.actual}</dd>
                <dt>Evidence</dt>
                <dd>
                  <code className="evidence">{finding.evidence}</code>
                </dd>
                {finding.explanation && (
                  <>
                    <dt>Why it matters</dt>
                    <dd>{finding.explanation}</dd>
                  </>
                )}
              </dl>
            </div>
          ))}
        </details>
      ))}
    </div>
  );
}
