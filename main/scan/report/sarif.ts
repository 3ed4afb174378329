import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { identifier } from '../../../shared/registry/index.js';
import type { ScanReport } from '../../../shared/scan/report.js';
import type { VerdictKind } from '../../../shared/scan/verdict.js';

/**
 * SARIF 2.1.0, the format GitHub code scanning and editors read: one rule per registry entry that has
 * findings, one result per finding, the verdict as the level (breaks → error, needs a newer SDK → warning,
 * prefer the new name → note, the rest → none).
 */
const LEVELS: Record<VerdictKind, Result.level> = {
  breaks: 'error',
  'needs-new-sdk': 'warning',
  'prefer-new': 'note',
  'keeps-working': 'none',
  'out-of-scope': 'none',
};

export function toSarif(report: ScanReport, toolVersion: string): Log {
  const ruleIds = [...new Set(report.findings.map((f) => f.entryId))].sort();
  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const entry = identifier(id);
    return {
      id,
      name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
      shortDescription: { text: `${entry.old} → ${entry.new ?? '(no hexclave name)'}` },
      fullDescription: {
        text: `${entry.concept}. Policy: ${entry.policy}.${entry.shipped ? ` Shipped: ${entry.shipped}` : ''}`,
      },
      help: { text: `Look it up with: hexclave-companion ids ${entry.old}` },
      properties: { category: entry.category, policy: entry.policy },
    };
  });
  const results: Result[] = report.findings.map((f) => ({
    ruleId: f.entryId,
    ruleIndex: ruleIds.indexOf(f.entryId),
    level: LEVELS[f.verdict.kind],
    message: {
      text: `${f.identifier}: ${f.verdict.text}. ${f.verdict.why} Fix: ${f.fix}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file), uriBaseId: 'SRCROOT' },
          region: { startLine: f.line, startColumn: f.column, endColumn: f.column + f.identifier.length },
        },
      },
    ],
    properties: { verdict: f.verdict.kind, family: f.family, twin: f.twin, alsoMatches: f.alsoMatches },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hexclave-companion scan',
            version: toolVersion,
            informationUri: 'https://github.com/hexclave/hexclave-companion',
            rules,
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `${pathToFileURL(report.root).href.replace(/\/?$/, '/')}` } },
        results,
        properties: { deploy: report.deploy, truncated: report.truncated },
      },
    ],
  };
}
