import { type CheckReport, type ReportFinding, SEVERITY_LABEL } from '../../../shared/checker/index.js';
import {
  CLASS_HEADLINE,
  countsLine,
  FAMILY_LABEL,
  identifierLabel,
  issuerOriginNote,
  leftBehind,
  scenarioMatrix,
} from './summary.js';

const ICON = { dual: '✅', legacy: '⚠️', broken: '❌' } as const;
const STATUS = { pass: '✅ pass', fail: '❌ fail', skipped: '➖ skipped' } as const;

/** Table cells cannot hold pipes or newlines. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function findingRows(findings: readonly ReportFinding[], report: CheckReport): string[] {
  const scenarioTitle = new Map(
    report.scenarios.map((s) => [s.id, s.family ? `${s.title} (${s.family})` : s.title]),
  );
  return [
    '| Severity | Rule | Identifier | Scenario | What is wrong |',
    '| --- | --- | --- | --- | --- |',
    ...findings.map(
      (f) =>
        `| ${SEVERITY_LABEL[f.severity]} | \`${f.ruleId}\` | ${identifierLabel(f) ? `\`${cell(identifierLabel(f))}\`` : ''} | ${cell(scenarioTitle.get(f.scenarioId) ?? f.scenarioId)} | ${cell(f.message)}${f.occurrences > 1 ? ` (×${f.occurrences})` : ''} |`,
    ),
  ];
}

/** A PR comment: verdict, test plan, scenario matrix, findings (info folded away). */
export function renderMarkdown(report: CheckReport): string {
  const lines: string[] = [];
  lines.push(
    `## ${ICON[report.backendClass]} Hexclave compatibility: ${CLASS_HEADLINE[report.backendClass]}`,
  );
  lines.push(
    '',
    `\`${report.target.apiUrl}\` · project \`${report.target.projectId}\` · ${countsLine(report)}`,
  );
  if (report.classReasons.length > 0) lines.push('', ...report.classReasons.map((r) => `- ${r}`));

  lines.push('', '### Test plan', '', '| Question | Answer |', '| --- | --- |');
  for (const a of report.answers) {
    lines.push(`| ${cell(a.question)} | **${a.answer}**${a.reason ? ` — ${cell(a.reason)}` : ''} |`);
  }

  lines.push(
    '',
    '### Scenarios',
    '',
    `| Scenario | ${FAMILY_LABEL.old} | ${FAMILY_LABEL.new} | ${FAMILY_LABEL.mixed} |`,
    '| --- | --- | --- | --- |',
  );
  for (const row of scenarioMatrix(report)) {
    const any = row.cells.get('any');
    const cells = any
      ? [`${STATUS[any.status]} (all families)`, '', '']
      : (['old', 'new', 'mixed'] as const).map((f) => {
          const result = row.cells.get(f);
          return result ? STATUS[result.status] : '';
        });
    lines.push(`| ${cell(row.title)} | ${cells.join(' | ')} |`);
  }

  const serious = report.findings.filter((f) => f.severity !== 'info');
  const info = report.findings.filter((f) => f.severity === 'info');
  if (serious.length > 0) lines.push('', '### Findings', '', ...findingRows(serious, report));
  if (info.length > 0) {
    lines.push(
      '',
      `<details><summary>${info.length} info finding(s)</summary>`,
      '',
      ...findingRows(info, report),
      '',
      '</details>',
    );
  }
  const note = issuerOriginNote(report);
  if (note) lines.push('', `> ${note}`);
  const users = leftBehind(report);
  if (users) {
    lines.push('', '### Throwaway users', '', users.summary, '', users.result);
    if (users.howToRemove) lines.push('', '```sh', users.howToRemove, '```');
  }
  return `${lines.join('\n')}\n`;
}
