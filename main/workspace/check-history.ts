import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckRunSummary } from '../../shared/api/workspace-schemas.js';
import { type CheckReport, CheckReportSchema } from '../../shared/checker/index.js';

const KEPT_RUNS = 30;

export interface StoredRun {
  readonly summary: CheckRunSummary;
  readonly report: CheckReport;
  /** The probe's HAR, already redacted (the unsafe one is never written to disk). */
  readonly har: unknown;
}

export function summarizeRun(id: string, at: number, report: CheckReport): CheckRunSummary {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  return {
    id,
    at,
    backendClass: report.backendClass,
    oldSdkWorks: report.oldSdkWorks,
    newSdkWorks: report.newSdkWorks,
    errors,
    warnings,
    wallMs: report.wallMs,
  };
}

/** The last compatibility runs of a project, one JSON file each, newest kept. */
export class CheckHistory {
  constructor(private readonly dir: string) {}

  add(report: CheckReport, har: unknown): StoredRun {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const at = Date.now();
    const id = `${at}-${randomUUID().slice(0, 8)}`;
    const run: StoredRun = { summary: summarizeRun(id, at, report), report, har };
    // Redacted, but still the project's traffic (user e-mails, ids): readable by this user only.
    writeFileSync(join(this.dir, `${id}.json`), JSON.stringify(run), { mode: 0o600 });
    const files = this.files();
    for (const old of files.slice(0, Math.max(0, files.length - KEPT_RUNS))) rmSync(join(this.dir, old));
    return run;
  }

  private files(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  }

  list(): CheckRunSummary[] {
    return this.files()
      .reverse()
      .flatMap((file) => {
        const run = this.read(file.slice(0, -'.json'.length));
        return run ? [run.summary] : [];
      });
  }

  read(id: string): StoredRun | null {
    if (!/^[\w-]+$/.test(id)) return null;
    const path = join(this.dir, `${id}.json`);
    if (!existsSync(path)) return null;
    const raw = JSON.parse(readFileSync(path, 'utf8')) as StoredRun;
    const report = CheckReportSchema.safeParse(raw.report);
    return report.success ? { ...raw, report: report.data } : null;
  }
}
