import type { Command } from 'commander';
import { redactConnectionString, redactSecretsInText } from '../../../shared/redact.js';
import { resolveEnv } from '../../../shared/registry/index.js';
import { onShutdown, stopOnSignals } from '../../lifecycle/index.js';
import {
  describeSource,
  SyncConfigurationError,
  type SyncEngine,
  type SyncEngineOptions,
  startEmbeddedMirror,
  startSyncEngine,
} from '../../sync/index.js';
import { COMMAND_TABLE } from '../command-table.js';
import { logLine } from '../output.js';
import { UsageError } from '../usage-error.js';
import { checkApiSource, databaseFix, targetFailureLine } from './sync-failures.js';
import { progressLine, summarize } from './sync-progress.js';

interface SyncCommandOptions {
  readonly source?: string;
  readonly target?: string[];
  readonly targetSchema?: string;
  readonly tenancy?: string[];
  readonly projectId?: string;
  readonly secretServerKey?: string;
  readonly interval?: string;
  readonly pageRows?: string;
  readonly once?: boolean;
  readonly json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Project id and secret server key: flags first, then the environment the way the dual reader resolves it. */
function apiCredentials(options: SyncCommandOptions): { projectId: string; secretServerKey: string } {
  const env = resolveEnv([{ source: 'environment', vars: process.env }]);
  const fromEnv = (entryId: string) => env.find((r) => r.entryId === entryId)?.effective?.value;
  const projectId = options.projectId ?? fromEnv('env.STACK_PROJECT_ID');
  const secretServerKey = options.secretServerKey ?? fromEnv('env.STACK_SECRET_SERVER_KEY');
  if (!projectId || !secretServerKey) {
    throw new UsageError(
      'An API source needs --project-id and --secret-server-key (or HEXCLAVE_/STACK_ PROJECT_ID and SECRET_SERVER_KEY in the environment).',
    );
  }
  return { projectId, secretServerKey };
}

async function sourceOptions(
  options: SyncCommandOptions,
): Promise<Pick<SyncEngineOptions, 'source' | 'tenancyIds'>> {
  const source = options.source;
  if (!source) throw new UsageError('--source is required: a postgres:// URL or the backend API URL.');
  if (/^https?:\/\//.test(source)) {
    const credentials = apiCredentials(options);
    const intervalMs = seconds(options.interval);
    // Before anything starts: a dead backend or a wrong key must not become a silent `rowsApplied: 0`.
    await checkApiSource(source, credentials.projectId, credentials.secretServerKey);
    return { source: { kind: 'api', apiUrl: source, ...credentials, intervalMs } };
  }
  if (!/^postgres(ql)?:\/\//.test(source)) {
    throw new UsageError(
      `--source must be a postgres:// URL or an http(s):// API URL, got "${redactConnectionString(source)}".`,
    );
  }
  if (options.tenancy?.length)
    return { source: { kind: 'database', url: source }, tenancyIds: options.tenancy };
  const { tenancies } = await describeSource(source);
  if (tenancies.length > 1) {
    const list = tenancies.map((t) => `${t.id} (project ${t.projectId}, branch ${t.branchId})`).join('; ');
    throw new UsageError(
      `The source has ${tenancies.length} tenancies; choose one with --tenancy ID (mirror tables have no tenancy column): ${list}.`,
    );
  }
  return { source: { kind: 'database', url: source }, tenancyIds: tenancies.map((t) => t.id) };
}

/** A connection failure of the source or a target database, with the fix appended to its one line. */
function withDatabaseFix(error: unknown, options: SyncCommandOptions): unknown {
  if (!(error instanceof Error) || !/^Cannot connect to /.test(error.message)) return error;
  const isSource = options.source && error.message.includes(redactConnectionString(options.source));
  const message = `${error.message.replace(/\.$/, '')}: ${databaseFix(error.message, isSource ? '--source' : '--target')}.`;
  return new Error(message.replace(/\s+/g, ' '));
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--interval must be a positive number of seconds, got "${value}".`);
  return n * 1000;
}

function pageTuning(value: string): { pageRows: number; bulkPageRows: number } {
  const rows = Number(value);
  if (!Number.isInteger(rows) || rows < 1)
    throw new UsageError(`--page-rows must be a positive integer, got "${value}".`);
  return { pageRows: rows, bulkPageRows: rows };
}

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description(COMMAND_TABLE.sync.summary)
    .option('--source <url>', 'internal database (postgres://…) or backend API URL (https://…)')
    .option('--target <url>', 'target database (repeatable); default: the embedded mirror database', collect)
    .option(
      '--target-schema <schema>',
      'schema for the mirror tables (several projects can share a database)',
    )
    .option('--tenancy <id>', 'tenancy to mirror (repeatable; required when the source has several)', collect)
    .option('--project-id <id>', 'project id (API source)')
    .option('--secret-server-key <key>', 'secret server key (API source)')
    .option('--interval <seconds>', 'API source: seconds between reconciles (default 30)')
    .option(
      '--page-rows <n>',
      'rows per transaction on the target, also the first page into an empty table (default 20000)',
    )
    .option('--once', 'catch up, print one JSON summary and exit')
    .option('--json', 'machine-readable output (NDJSON status lines while running)')
    .action(async (options: SyncCommandOptions) => {
      stopOnSignals({ log: options.json ? () => {} : logLine });
      const { source, tenancyIds } = await sourceOptions(options).catch((error) => {
        throw withDatabaseFix(error, options);
      });
      const embedded = options.target?.length ? null : await startEmbeddedMirror();
      const targetUrls = options.target?.length ? options.target : [embedded!.url];
      if (embedded && !options.json)
        logLine(`Mirror: ${redactConnectionString(embedded.url)} (embedded, ${embedded.dataDir})`);
      let engine: SyncEngine;
      try {
        engine = await startSyncEngine({
          source,
          ...(tenancyIds ? { tenancyIds } : {}),
          targets: targetUrls.map((url) => ({
            url,
            ...(options.targetSchema ? { schema: options.targetSchema } : {}),
          })),
          ...(options.pageRows ? { tuning: pageTuning(options.pageRows) } : {}),
        });
      } catch (error) {
        await embedded?.stop();
        if (error instanceof SyncConfigurationError) throw new UsageError(error.message);
        throw withDatabaseFix(error, options);
      }
      // The engine stops before the embedded mirror (registered when it started), as the shutdown runs newest first.
      const unregister = onShutdown(() => engine.stop());
      if (options.once) {
        await runOnce(engine, embedded);
        unregister();
      } else {
        runContinuously(engine, options.json === true);
      }
    });
}

async function runOnce(engine: SyncEngine, embedded: { stop(): Promise<void> } | null): Promise<void> {
  try {
    const result = await engine.syncNow();
    const status = engine.status();
    const sourceError = status.source.lastError;
    const failed = result.targets.filter((t) => t.error);
    const summary = {
      mappings: result.mappings.map((m) => ({
        name: m.name,
        rowsApplied: m.rowsApplied,
        lastSyncedSequenceId: m.lastSyncedSequenceId,
      })),
      seconds: result.seconds,
      ...(failed.length || sourceError
        ? {
            errors: [
              ...(sourceError ? [{ source: status.source.connection, error: sourceError }] : []),
              ...failed.map((t) => ({ target: t.id, error: t.error })),
            ],
          }
        : {}),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    // Failing loudly: the JSON above for machines, one line on stderr for people, and a non-zero exit.
    if (sourceError) {
      logLine(`error: The source ${status.source.connection} failed during the sync (${sourceError}).`);
      process.exitCode = 2;
    } else if (failed.length) {
      logLine(`error: ${targetFailureLine(failed, status)}`);
      process.exitCode = 1;
    }
  } finally {
    await engine.stop();
    await embedded?.stop();
  }
}

function runContinuously(engine: SyncEngine, json: boolean): void {
  const tty = process.stderr.isTTY === true;
  let lastPrinted = 0;
  const seenErrors = new Set<string>();
  engine.subscribe((event) => {
    if (event.type !== 'error' || json) return;
    const line = redactSecretsInText(`${event.target ?? event.stage}: ${event.message}`);
    if (seenErrors.has(line)) return;
    seenErrors.add(line);
    if (tty) process.stderr.write('\r\x1b[K');
    logLine(`error ${line}`);
  });
  const timer = setInterval(() => {
    const summaries = summarize(engine.status());
    if (json) {
      process.stdout.write(`${JSON.stringify({ at: Date.now(), targets: summaries })}\n`);
      return;
    }
    const text = summaries.map(progressLine).join(' | ');
    if (tty) process.stderr.write(`\r\x1b[K${redactSecretsInText(text)}`);
    else if (Date.now() - lastPrinted >= 5000) {
      lastPrinted = Date.now();
      logLine(redactSecretsInText(text));
    }
  }, 1000);
  // Ctrl+C (main/lifecycle) stops the engine, then its embedded cluster, and exits 0.
  onShutdown(() => {
    clearInterval(timer);
    if (tty && !json) process.stderr.write('\n');
  });
  if (!json) logLine('Syncing; press Ctrl+C to stop.');
}
