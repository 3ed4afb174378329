import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ScanFinding, ScanReport } from '../../shared/scan/report.js';
import { VERDICT_KINDS, type VerdictKind, verdictRank } from '../../shared/scan/verdict.js';
import { appOf, readDeploy } from './deploy/deploy.js';
import { type FileKind, fileKind } from './file-kinds.js';
import { findingsOf } from './findings.js';
import { LineIndex, type Occurrence } from './occurrence.js';
import { codeOccurrences } from './parse/code.js';
import { dockerfileOccurrences } from './parse/dockerfile.js';
import { envFileOccurrences } from './parse/env-file.js';
import { htmlOccurrences } from './parse/html.js';
import { shellOccurrences } from './parse/shell.js';
import { yamlOccurrences } from './parse/yaml.js';
import { ScanDirError } from './scan-dir-error.js';
import { walkProject } from './walk.js';

export { ScanDirError } from './scan-dir-error.js';

export interface ScanOptions {
  /** Keep at most this many findings (worst first); the summary still counts all. */
  readonly maxFindings?: number;
}

/** Files larger than this are generated or vendored, not code anyone renames by hand. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
const BRAND = /stack|hexclave/i;

const PARSERS: Record<FileKind, (path: string, text: string) => Occurrence[]> = {
  code: (path, text) => codeOccurrences(path, text),
  json: (path, text) => codeOccurrences(path, text),
  env: (_path, text) => envFileOccurrences(text),
  yaml: (_path, text) => yamlOccurrences(text),
  dockerfile: (_path, text) => dockerfileOccurrences(text),
  shell: (_path, text) => shellOccurrences(text),
  html: (_path, text) => htmlOccurrences(text),
};

export function projectRoot(dir: string): string {
  const root = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new ScanDirError(`${root} does not exist. Give the folder of your project, e.g. scan ./my-app.`);
  }
  if (!isDir) throw new ScanDirError(`${root} is a file, not a folder. Give the folder of your project.`);
  return root;
}

/** Occurrences of one file, or why it was skipped. */
export function occurrencesOf(
  root: string,
  file: string,
): { occurrences: Occurrence[]; text: string } | { skipped: string } | null {
  const kind = fileKind(file);
  const fileNameHit = BRAND.test(basename(file));
  if (kind === null && !fileNameHit) return null;
  const occurrences: Occurrence[] = fileNameHit
    ? [{ kind: 'file-name', value: basename(file), offset: 0 }]
    : [];
  if (kind === null) return { occurrences, text: '' };
  const path = resolve(root, file);
  let text: string;
  try {
    if (statSync(path).size > MAX_FILE_BYTES)
      return { skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { skipped: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  if (!BRAND.test(text)) return { occurrences, text };
  try {
    occurrences.push(...PARSERS[kind](file, text));
  } catch (error) {
    return {
      skipped: `cannot be parsed as ${kind}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    };
  }
  return { occurrences, text };
}

export function compareFindings(a: ScanFinding, b: ScanFinding): number {
  return a.file < b.file
    ? -1
    : a.file > b.file
      ? 1
      : a.line - b.line || a.column - b.column || a.entryId.localeCompare(b.entryId);
}

/** Scan a project folder: every use of a Stack or Hexclave identifier, with verdicts, plus the deploy view. */
export function scanProject(dir: string, options: ScanOptions = {}): ScanReport {
  const started = performance.now();
  const root = projectRoot(dir);
  const files = walkProject(root);
  const deploy = readDeploy(
    root,
    files.filter((f) => basename(f) === 'package.json'),
  );
  const findings: ScanFinding[] = [];
  const skipped: ScanReport['skipped'] = [];
  let scanned = 0;
  for (const file of files) {
    const result = occurrencesOf(root, file);
    if (result === null) continue;
    if ('skipped' in result) {
      skipped.push({ file, reason: result.skipped });
      continue;
    }
    scanned++;
    const lines = new LineIndex(result.text);
    const seen = new Set<string>();
    for (const occurrence of result.occurrences) {
      for (const finding of findingsOf(file, occurrence, lines)) {
        const key = `${finding.line}:${finding.column}:${finding.entryId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(withDeployContext(finding, appOf(deploy.apps, file)));
      }
    }
  }
  findings.sort(compareFindings);
  const byVerdict = Object.fromEntries(VERDICT_KINDS.map((k) => [k, 0])) as Record<VerdictKind, number>;
  for (const f of findings) byVerdict[f.verdict.kind]++;
  const cap = options.maxFindings ?? Number.POSITIVE_INFINITY;
  const kept =
    findings.length > cap
      ? [...findings]
          .sort((a, b) => verdictRank(a.verdict.kind) - verdictRank(b.verdict.kind) || compareFindings(a, b))
          .slice(0, cap)
          .sort(compareFindings)
      : findings;
  return {
    root,
    filesScanned: scanned,
    durationMs: Math.round(performance.now() - started),
    findings: kept,
    truncated: kept.length < findings.length,
    summary: { findings: findings.length, files: new Set(findings.map((f) => f.file)).size, byVerdict },
    deploy,
    skipped,
  };
}

/**
 * A new name that older SDKs ignore is only a problem in an app that runs one: where the deploy view knows the
 * app's SDK, the verdict says what happens there.
 */
function withDeployContext(finding: ScanFinding, app: ReturnType<typeof appOf>): ScanFinding {
  if (finding.verdict.kind !== 'needs-new-sdk' || !app || app.generation === 'unknown') return finding;
  const versions = app.packages.map((p) => `${p.name}@${p.version}`).join(', ');
  if (app.generation === 'hexclave') {
    return {
      ...finding,
      verdict: {
        kind: 'keeps-working',
        text: 'keeps working indefinitely',
        since: null,
        why: `${app.dir} runs ${versions}, which reads it.`,
      },
      fix: 'Nothing to do.',
    };
  }
  return {
    ...finding,
    verdict: {
      kind: 'breaks',
      text: `breaks in ${app.dir}: it runs ${versions}, which ignores this name`,
      since: null,
      why: finding.verdict.why,
    },
  };
}
