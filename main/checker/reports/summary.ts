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
  const { error, warning, info, notChecked = 0 } = report.counts;
  const requests = report.scenarios.reduce((sum, s) => sum + s.exchangeIds.length, 0);
  const unchecked = notChecked > 0 ? `, ${notChecked} not checked` : '';
  return `${error} error(s), ${warning} warning(s), ${info} info${unchecked} · ${requests} request(s) in ${Math.round(report.wallMs)} ms`;
}

/** The origin the backend signs tokens with, when it is not the one it was checked at (informational). */
export function issuerOriginNote(report: CheckReport): string | null {
  const origins = report.issuerOrigins ?? [];
  if (origins.length === 0) return null;
  const reached = new URL(report.target.apiUrl).origin;
  return `Note: the backend signs its tokens with issuer origin ${origins.join(', ')} (checked at ${reached}); accepted, as the issuer paths and project are right and the signatures are judged against its JWKS.`;
}

/** What the run created and left in the project, in words, with the commands that remove what is left. */
export function leftBehind(
  report: CheckReport,
): { summary: string; result: string; howToRemove: string | null } | null {
  const users = report.throwawayUsers;
  if (!users) return null;
  const result =
    users.left.length === 0
      ? users.created === 0
        ? 'Left behind: nothing (no user was created).'
        : `Left behind: nothing (${users.created} throwaway user(s) created and deleted again).`
      : `Left behind: ${users.left.length} throwaway user(s) in project ${report.target.projectId}: ${users.left.map((u) => `${u.email} (${u.userId})`).join(', ')}.`;
  return { summary: users.summary, result, howToRemove: users.howToRemove };
}
