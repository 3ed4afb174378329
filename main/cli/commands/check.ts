import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  isReportFormat,
  REPORT_FORMATS,
  type ReportFormat,
  renderReport,
  runCheck,
} from '../../checker/index.js';
import { COMMAND_TABLE } from '../command-table.js';
import { colorEnabled, logLine } from '../output.js';
import { writePrivateFile } from '../private-file.js';
import { UsageError } from '../usage-error.js';

interface CheckCommandOptions {
  readonly apiUrl?: string;
  readonly projectId?: string;
  readonly publishableClientKey?: string;
  readonly secretServerKey?: string;
  readonly format?: string;
  readonly json?: boolean;
  readonly out?: string;
  readonly har?: string;
  readonly harUnsafe?: boolean;
  readonly timeout?: string;
  readonly verbose?: boolean;
  readonly issuerBaseUrl?: string[];
}

const PROJECT_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|internal)$/i;

function validate(options: CheckCommandOptions) {
  const required = {
    '--api-url': options.apiUrl,
    '--project-id': options.projectId,
    '--publishable-client-key': options.publishableClientKey,
  };
  const missing = Object.entries(required)
    .filter(([, v]) => !v)
    .map(([flag]) => flag);
  if (missing.length > 0) throw new UsageError(`Missing ${missing.join(', ')} (see check --help).`);
  let url: URL;
  try {
    url = new URL(options.apiUrl!);
  } catch {
    throw new UsageError(`--api-url "${options.apiUrl}" is not a URL; use e.g. http://localhost:8102.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--api-url must be http(s), got "${url.protocol}".`);
  if (!PROJECT_ID.test(options.projectId!)) {
    throw new UsageError(
      `--project-id "${options.projectId}" is not a UUID (or "internal"), which the SDKs require.`,
    );
  }
  const format = options.json ? 'json' : (options.format ?? 'text');
  if (!isReportFormat(format))
    throw new UsageError(`Unknown --format "${format}". Use one of: ${REPORT_FORMATS.join(', ')}.`);
  if (options.harUnsafe && !options.har) throw new UsageError('--har-unsafe needs --har FILE.');
  const timeoutMs = options.timeout === undefined ? 10_000 : Number(options.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new UsageError(`--timeout must be a positive number of milliseconds, got "${options.timeout}".`);
  const issuerBaseUrls = (options.issuerBaseUrl ?? []).map((raw) => {
    try {
      return new URL(raw).origin;
    } catch {
      throw new UsageError(`--issuer-base-url "${raw}" is not a URL; use e.g. https://api.example.com.`);
    }
  });
  return {
    apiUrl: url.toString().replace(/\/$/, ''),
    format: format as ReportFormat,
    timeoutMs,
    issuerBaseUrls,
  };
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description(COMMAND_TABLE.check.summary)
    .option('--api-url <url>', 'backend base URL, e.g. http://localhost:8102')
    .option('--project-id <id>', 'project id (UUID)')
    .option('--publishable-client-key <key>', 'publishable client key (pck_…)')
    .option(
      '--secret-server-key <key>',
      'secret server key (ssk_…): enables the server scenarios and deletes the throwaway users',
    )
    .option('--format <format>', `report format (${REPORT_FORMATS.join(', ')})`, 'text')
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--har <file>', 'write all probe traffic as HAR (secrets redacted)')
    .option('--har-unsafe', 'keep tokens, keys, passwords and cookie values in the HAR')
    .option('--timeout <ms>', 'per-request timeout in milliseconds', '10000')
    .option('--verbose', 'text format: also list info findings')
    .option(
      '--issuer-base-url <url...>',
      'base URL the backend signs token issuers with, when a tunnel or proxy makes it differ from --api-url',
    )
    .action(async (options: CheckCommandOptions) => {
      const { apiUrl, format, timeoutMs, issuerBaseUrls } = validate(options);
      logLine(`Checking ${apiUrl} as an old SDK (x-stack-*), a new SDK (x-hexclave-*) and a mixed client…`);
      const run = await runCheck({
        apiUrl,
        projectId: options.projectId!,
        publishableClientKey: options.publishableClientKey!,
        ...(options.secretServerKey ? { secretServerKey: options.secretServerKey } : {}),
        timeoutMs,
        ...(issuerBaseUrls.length > 0 ? { issuerBaseUrls } : {}),
        // Said before the run creates anything in the project.
        onPlan: (plan) => logLine(plan.summary),
      });
      const text = renderReport(run.report, format, {
        color: !options.out && colorEnabled(),
        verbose: options.verbose === true,
      });
      if (options.out) {
        await writeFile(options.out, text);
        logLine(`Report written to ${options.out}`);
      } else {
        process.stdout.write(text);
      }
      if (options.har) {
        writePrivateFile(
          options.har,
          `${JSON.stringify(run.har({ unsafe: options.harUnsafe === true }), null, 2)}\n`,
        );
        logLine(
          `HAR written to ${options.har}${options.harUnsafe ? ' (UNSAFE: contains secrets)' : ' (secrets redacted)'}`,
        );
      }
      logLine(
        `Backend class: ${run.report.backendClass} · ${run.report.counts.error} error(s) · ${run.report.wallMs} ms`,
      );
      const left = run.report.throwawayUsers?.left ?? [];
      if (left.length > 0 && (format !== 'text' || options.out)) {
        // The text report on stdout already says it; every other output still tells the human at the terminal.
        logLine(
          `Left ${left.length} throwaway user(s) in the project: ${left.map((u) => u.email).join(', ')}.\n${run.report.throwawayUsers!.howToRemove}`,
        );
      }
      process.exitCode = run.report.exitCode;
    });
}
