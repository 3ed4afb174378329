import type { Command } from 'commander';
import {
  applyFixes,
  extractSdkIdentifiers,
  planFixes,
  renderText,
  ScanDirError,
  SdkPackageError,
  scanProject,
  toSarif,
} from '../../scan/index.js';
import { appVersion } from '../../version.js';
import { COMMAND_TABLE } from '../command-table.js';
import { logLine, paint, printJson } from '../output.js';
import { UsageError } from '../usage-error.js';

interface ScanCommandOptions {
  readonly json?: boolean;
  readonly sarif?: boolean;
  readonly fix?: boolean;
  readonly write?: boolean;
  readonly sdk?: string;
}

function asUsage<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ScanDirError || error instanceof SdkPackageError)
      throw new UsageError(error.message);
    throw error;
  }
}

function printSdk(path: string, json: boolean): void {
  const result = asUsage(() => extractSdkIdentifiers(path));
  if (json) {
    printJson(result);
    return;
  }
  const out = [`Read ${result.packages.map((p) => `${p.name}@${p.version}`).join(' + ')}`];
  for (const use of result.uses) {
    out.push(
      `  ${use.form.padEnd(52)} ${use.family.padEnd(8)} ${use.access.join(',') || 'uses'}  (${use.entryId}, ${use.where.length}×)`,
    );
  }
  if (result.unmatched.length > 0) {
    out.push('', paint('yellow', 'Not in the registry (add an entry for each):'));
    for (const u of result.unmatched) out.push(`  ${u.value}  ${paint('dim', u.where[0] ?? '')}`);
  }
  out.push('', `${result.uses.length} identifiers, ${result.unmatched.length} not in the registry`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (result.unmatched.length > 0) process.exitCode = 1;
}

export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description(COMMAND_TABLE.scan.summary)
    .argument('[dir]', 'project folder', '.')
    .option('--json', 'print the report as JSON')
    .option('--sarif', 'print the report as SARIF 2.1.0 (GitHub code scanning, editors)')
    .option('--fix', 'show the rewrites that cannot break anything (HEXCLAVE_ twins in .env files) as a diff')
    .option('--write', 'with --fix: apply them')
    .option(
      '--sdk <path>',
      'instead: list the identifiers a built SDK package uses (e.g. node_modules/@stackframe/js)',
    )
    .action((dir: string, options: ScanCommandOptions) => {
      if (options.json && options.sarif) throw new UsageError('Choose one of --json and --sarif.');
      if (options.write && !options.fix)
        throw new UsageError('--write applies the rewrites of --fix: pass both.');
      if (options.sdk) {
        if (options.sarif || options.fix)
          throw new UsageError('--sdk lists identifiers; it takes --json only.');
        printSdk(options.sdk, options.json === true);
        return;
      }
      if (options.fix) {
        const plans = asUsage(() => planFixes(dir));
        if (options.json)
          printJson({
            plans: plans.map(({ content: _c, ...rest }) => rest),
            written: options.write === true,
          });
        else if (plans.length === 0)
          process.stdout.write(
            'Nothing to fix: every STACK_ variable in .env files already has its HEXCLAVE_ twin.\n',
          );
        else process.stdout.write(plans.map((p) => p.diff).join('\n'));
        if (options.write && plans.length > 0) {
          applyFixes(dir, plans);
          logLine(
            `Wrote ${plans.length} file(s); ${plans.reduce((n, p) => n + p.added.length, 0)} variable(s) added.`,
          );
        } else if (plans.length > 0 && !options.json) {
          logLine('Nothing written: run again with --fix --write to apply.');
        }
        return;
      }
      const report = asUsage(() => scanProject(dir));
      if (options.json) printJson(report);
      else if (options.sarif) printJson(toSarif(report, appVersion()));
      else process.stdout.write(renderText(report, (style, text) => paint(style, text)));
      if (report.summary.byVerdict.breaks > 0) process.exitCode = 1;
    });
}
