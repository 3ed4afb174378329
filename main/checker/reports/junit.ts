import type { CheckReport, ReportFinding } from '../../../shared/checker/index.js';
import { FAMILY_LABEL, identifierLabel } from './summary.js';

/** XML 1.0 forbids most control characters even when escaped. */
function isXmlChar(char: string): boolean {
  const code = char.charCodeAt(0);
  return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function xml(text: string): string {
  return [...text]
    .filter(isXmlChar)
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function describeFinding(f: ReportFinding): string {
  const ident = identifierLabel(f);
  return [
    `${f.severity} ${f.ruleId}${ident ? ` (${ident})` : ''}: ${f.message}`,
    `  expected: ${f.expected}`,
    `  actual:   ${f.actual}`,
    `  evidence: ${f.evidence}`,
  ].join('\n');
}

interface Case {
  readonly name: string;
  readonly classname: string;
  readonly seconds: number;
  readonly failure?: { message: string; body: string };
  readonly skipped?: string;
}

function renderCase(c: Case): string {
  const open = `    <testcase name="${xml(c.name)}" classname="${xml(c.classname)}" time="${c.seconds.toFixed(3)}"`;
  if (c.failure) {
    return `${open}>\n      <failure message="${xml(c.failure.message)}">${xml(c.failure.body)}</failure>\n    </testcase>`;
  }
  if (c.skipped !== undefined)
    return `${open}>\n      <skipped message="${xml(c.skipped)}"/>\n    </testcase>`;
  return `${open}/>`;
}

function renderSuite(name: string, cases: readonly Case[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const time = cases.reduce((sum, c) => sum + c.seconds, 0);
  return [
    `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}">`,
    ...cases.map(renderCase),
    '  </testsuite>',
  ].join('\n');
}

/**
 * JUnit XML for CI: one suite per SDK family (a test case per scenario, failing on a failed scenario or an
 * error finding in its traffic) and one suite for the test-plan questions.
 */
export function renderJunit(report: CheckReport): string {
  const suites = new Map<string, Case[]>();
  for (const s of report.scenarios) {
    const suite = s.family ? `hexclave-check · ${FAMILY_LABEL[s.family]}` : 'hexclave-check · all families';
    const errors = report.findings.filter((f) => f.scenarioId === s.id && f.severity === 'error');
    const failed = s.status === 'fail' || errors.length > 0;
    const testCase: Case = {
      name: s.title,
      classname: `hexclave-check.${s.family ?? 'all'}`,
      seconds: s.durationMs / 1000,
      ...(failed
        ? {
            failure: {
              message: s.status === 'fail' ? s.summary : errors[0]!.message,
              body: [s.summary, ...errors.map(describeFinding)].join('\n\n'),
            },
          }
        : {}),
      ...(s.status === 'skipped' ? { skipped: s.summary } : {}),
    };
    suites.set(suite, [...(suites.get(suite) ?? []), testCase]);
  }
  const plan: Case[] = report.answers.map((a) => ({
    name: a.question,
    classname: 'hexclave-check.test-plan',
    seconds: 0,
    ...(a.answer === 'no' ? { failure: { message: a.reason ?? 'no', body: a.reason ?? 'no' } } : {}),
    ...(a.answer === 'not checked' ? { skipped: a.reason ?? 'not checked' } : {}),
  }));
  const all = [...suites.entries(), ['hexclave-check · test plan', plan] as const];
  const tests = all.reduce((n, [, cases]) => n + cases.length, 0);
  const failures = all.reduce((n, [, cases]) => n + cases.filter((c) => c.failure).length, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="hexclave-check" tests="${tests}" failures="${failures}" time="${(report.wallMs / 1000).toFixed(3)}">`,
    ...all.map(([name, cases]) => renderSuite(name, cases)),
    '</testsuites>',
    '',
  ].join('\n');
}
