import type {
  BackendClass,
  CheckReport,
  ProbeFamily,
  ReportFinding,
  ScenarioResult,
} from '../../../shared/checker/index.js';

export const FAMILY_LABEL: Record<ProbeFamily, string> = {
  old: 'old SDK (x-stack-*)',
  new: 'new SDK (x-hexclave-*)',
  mixed: 'mixed (both families)',
};

export const CLASS_HEADLINE: Record<BackendClass, string> = {
  dual: 'DUAL — serves old and new SDKs',
  legacy: 'LEGACY — serves old SDKs only',
  broken: 'BROKEN — does not serve the SDKs correctly',
};

/** Scenario rows in probe order, one column per family (scenarios that are family-independent span all). */
export function scenarioMatrix(
  report: CheckReport,
): { scenario: string; title: string; cells: Map<ProbeFamily | 'any', ScenarioResult> }[] {
  const rows = new Map<
    string,
    { scenario: string; title: string; cells: Map<ProbeFamily | 'any', ScenarioResult> }
  >();
  for (const result of report.scenarios) {
    const row = rows.get(result.scenario) ?? {
      scenario: result.scenario,
      title: result.title,
      cells: new Map(),
    };
    row.cells.set(result.family ?? 'any', result);
    rows.set(result.scenario, row);
  }
  return [...rows.values()];
}

/** Findings grouped under the scenario whose traffic first showed them, in scenario order. */
export function findingsByScenario(
  report: CheckReport,
  include: (f: ReportFinding) => boolean,
): { scenario: ScenarioResult; findings: ReportFinding[] }[] {
  return report.scenarios
    .map((scenario) => ({
      scenario,
      findings: report.findings.filter((f) => f.scenarioId === scenario.id && include(f)),
    }))
    .filter((group) => group.findings.length > 0);
}

export function identifierLabel(finding: ReportFinding): string {
  const id = finding.identifier;
  if (!id) return '';
  if (id.names && id.names.length > 0) return id.names.join(', ');
  return id.hexclave ? `${id.stack} / ${id.hexclave}` : id.stack;
}

export function countsLine(report: CheckReport): string {
  const { error, warning, info } = report.counts;
  const requests = report.scenarios.reduce((sum, s) => sum + s.exchangeIds.length, 0);
  return `${error} error(s), ${warning} warning(s), ${info} info · ${requests} request(s) in ${Math.round(report.wallMs)} ms`;
}
