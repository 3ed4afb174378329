import type { ScanReport } from '../../../shared/scan/report.js';
import { VERDICT_KINDS, VERDICT_LABELS } from '../../../shared/scan/verdict.js';

/** The scan for a person: findings grouped by verdict (worst first), then the deploy view and a summary. */

type Paint = (style: 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan', text: string) => string;
const plain: Paint = (_style, text) => text;

const STYLE = {
  breaks: 'red',
  'needs-new-sdk': 'yellow',
  'prefer-new': 'cyan',
  'keeps-working': 'green',
  'out-of-scope': 'dim',
} as const;

export function renderText(report: ScanReport, paint: Paint = plain): string {
  const out: string[] = [`Scanned ${report.filesScanned} files in ${report.root} (${report.durationMs} ms)`];
  for (const kind of VERDICT_KINDS) {
    const findings = report.findings.filter((f) => f.verdict.kind === kind);
    if (findings.length === 0) continue;
    out.push('', paint('bold', paint(STYLE[kind], `${VERDICT_LABELS[kind]} (${findings.length})`)));
    for (const f of findings) {
      const twin = f.twin ? ` → ${f.twin}` : '';
      out.push(
        `  ${f.file}:${f.line}:${f.column}  ${paint('bold', f.identifier)}${twin}  ${paint('dim', `[${f.entryId}, ${f.policy}]`)}`,
      );
      out.push(`    ${f.verdict.text}. ${f.verdict.why}`);
      out.push(`    fix: ${f.fix}`);
    }
  }
  out.push('', paint('bold', 'Deploy'));
  if (report.deploy.apps.length === 0) {
    out.push('  No package.json in this folder depends on @stackframe/*.');
  }
  for (const app of report.deploy.apps) {
    const packages = app.packages
      .map(
        (p) =>
          `${p.name}@${p.version ?? `${p.declared ?? '?'} (not installed, no lockfile entry)`} from ${p.source}${p.lockfileVersion ? ` (lockfile: ${p.lockfileVersion})` : ''}`,
      )
      .join(', ');
    const generation =
      app.generation === 'unknown' ? 'generation not checked' : `${app.generation} generation`;
    out.push(`  ${app.dir}: ${packages} — ${generation}`);
  }
  for (const hazard of report.deploy.hazards) {
    out.push(
      `  ${paint('yellow', 'hazard')} ${hazard.title}`,
      `    ${hazard.detail}`,
      `    registry: ${hazard.entryIds.join(', ')}`,
    );
  }
  for (const s of report.skipped) out.push(`  ${paint('yellow', 'skipped')} ${s.file}: ${s.reason}`);
  const counts = VERDICT_KINDS.filter((k) => report.summary.byVerdict[k] > 0).map(
    (k) => `${report.summary.byVerdict[k]} ${VERDICT_LABELS[k]}`,
  );
  out.push(
    '',
    report.summary.findings === 0
      ? 'No Stack or Hexclave identifiers found.'
      : `${report.summary.findings} findings in ${report.summary.files} files: ${counts.join(', ')}.${report.truncated ? ` Showing the ${report.findings.length} most severe.` : ''}`,
  );
  return `${out.join('\n')}\n`;
}
