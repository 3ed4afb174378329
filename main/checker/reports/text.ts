import { styleText } from 'node:util';
import {
  type CheckReport,
  type ReportFinding,
  ruleInfo,
  SEVERITY_LABEL,
  type Severity,
} from '../../../shared/checker/index.js';
import {
  CLASS_HEADLINE,
  countsLine,
  FAMILY_LABEL,
  findingsByScenario,
  identifierLabel,
  issuerOriginNote,
  leftBehind,
  scenarioMatrix,
} from './summary.js';

type Style = Parameters<typeof styleText>[0];

export interface TextOptions {
  /** Colour for terminals; callers pass true only for a TTY without NO_COLOR. */
  readonly color: boolean;
  /** Also list info findings (which family sent what, expected gaps of a legacy backend). */
  readonly verbose?: boolean;
}

const SEVERITY_STYLE: Record<Severity, Style> = {
  error: 'red',
  warning: 'yellow',
  info: 'dim',
  'not-checked': 'dim',
};
const MARK = { pass: '✓', fail: '✗', skipped: '–' } as const;

type Paint = (style: Style, text: string) => string;

/** Consecutive findings of one rule, in first-seen order. */
function byRule(findings: readonly ReportFinding[]): ReportFinding[][] {
  const groups = new Map<string, ReportFinding[]>();
  for (const f of findings) groups.set(f.ruleId, [...(groups.get(f.ruleId) ?? []), f]);
  return [...groups.values()];
}

/**
 * One finding in full; three or more of the same rule (one per header of a CORS list, say) as one block naming
 * every identifier, with the first as the example. The JSON report keeps them all.
 */
function renderGroup(group: readonly ReportFinding[], paint: Paint): string[] {
  const first = group[0]!;
  const label = (f: ReportFinding) => paint(SEVERITY_STYLE[f.severity], SEVERITY_LABEL[f.severity].padEnd(7));
  const head = `    ${label(first)} ${first.ruleId}`;
  const detail = (f: ReportFinding, prefix: string) => [
    ...(f.explanation ? [`      ${paint('dim', f.explanation)}`] : []),
    paint('dim', `      ${prefix}expected: ${f.expected}`),
    paint('dim', `      ${prefix}actual:   ${f.actual}`),
  ];
  if (group.length < 3) {
    return group.flatMap((f) => {
      const ident = identifierLabel(f);
      const times = f.occurrences > 1 ? paint('dim', ` (×${f.occurrences})`) : '';
      const line = `    ${label(f)} ${f.ruleId}${ident ? `  ${paint('cyan', ident)}` : ''}${times}`;
      return [line, `      ${f.message}`, ...detail(f, '')];
    });
  }
  const identifiers = group.map(identifierLabel).filter(Boolean);
  return [
    `${head}  ${paint('dim', `(${group.length} identifiers)`)}`,
    `      ${ruleInfo(first.ruleId).title}: ${paint('cyan', identifiers.join(', '))}`,
    `      e.g. ${first.message}`,
    ...detail(first, 'e.g. '),
  ];
}

/** The terminal report: verdict, test-plan answers, scenario matrix, then findings grouped by scenario. */
export function renderText(report: CheckReport, options: TextOptions): string {
  const paint = (style: Style, text: string) => (options.color ? styleText(style, text) : text);
  const verdictStyle: Style =
    report.backendClass === 'dual' ? 'green' : report.backendClass === 'legacy' ? 'yellow' : 'red';
  const lines: string[] = [];
  lines.push(`Hexclave compatibility check of ${report.target.apiUrl} (project ${report.target.projectId})`);
  lines.push(`Backend: ${paint(['bold', verdictStyle], CLASS_HEADLINE[report.backendClass])}`);
  for (const reason of report.classReasons) lines.push(`  · ${reason}`);
  const note = issuerOriginNote(report);
  if (note) lines.push(paint('dim', `  ${note}`));

  lines.push('', paint('bold', 'Test plan'));
  for (const answer of report.answers) {
    const mark =
      answer.answer === 'yes'
        ? paint('green', '✓')
        : answer.answer === 'no'
          ? paint('red', '✗')
          : paint('dim', '–');
    lines.push(`  ${mark} ${answer.question}: ${answer.answer}${answer.reason ? ` — ${answer.reason}` : ''}`);
  }

  lines.push('', paint('bold', 'Scenarios'));
  const families = ['old', 'new', 'mixed'] as const;
  const width = Math.max(...report.scenarios.map((s) => s.title.length), 8);
  lines.push(`  ${''.padEnd(width)}  ${families.map((f) => f.padEnd(10)).join('')}`.trimEnd());
  for (const row of scenarioMatrix(report)) {
    const cell = (status: keyof typeof MARK | undefined) => {
      const text = status ? `${MARK[status]} ${status}`.padEnd(10) : ''.padEnd(10);
      return status === 'fail'
        ? paint('red', text)
        : status === 'pass'
          ? paint('green', text)
          : paint('dim', text);
    };
    const any = row.cells.get('any');
    const cells = any
      ? cell(any.status) + paint('dim', ' (all families)')
      : families.map((f) => cell(row.cells.get(f)?.status)).join('');
    lines.push(`  ${row.title.padEnd(width)}  ${cells}`.trimEnd());
  }

  const include = (f: ReportFinding) => options.verbose === true || f.severity !== 'info';
  const groups = findingsByScenario(report, include);
  if (groups.length > 0) lines.push('', paint('bold', 'Findings'));
  for (const { scenario, findings } of groups) {
    const family = scenario.family ? ` — ${FAMILY_LABEL[scenario.family]}` : '';
    lines.push(`  ${paint('bold', scenario.title)}${family}: ${scenario.summary}`);
    for (const group of byRule(findings)) lines.push(...renderGroup(group, paint));
  }
  const users = leftBehind(report);
  if (users) {
    lines.push('', paint('bold', 'Throwaway users'), `  ${users.summary}`);
    const result = `  ${users.result}`;
    lines.push(users.howToRemove ? paint('yellow', result) : result);
    if (users.howToRemove) lines.push(...users.howToRemove.split('\n').map((line) => `    ${line}`));
  }
  lines.push('', countsLine(report));
  return `${lines.join('\n')}\n`;
}
