import type { Command } from 'commander';
import { type EnvCandidate, type EnvResolution, redactValue } from '../../../shared/index.js';
import { ProjectDirError, readProjectEnv } from '../../env/index.js';
import { COMMAND_TABLE } from '../command-table.js';
import { paint, printJson, table } from '../output.js';
import { UsageError } from '../usage-error.js';

interface EnvOptions {
  readonly json?: boolean;
  readonly nodeEnv?: string;
  readonly showSecrets?: boolean;
  readonly processEnv?: boolean;
}

function shown(resolution: EnvResolution, candidate: EnvCandidate, showSecrets: boolean): string {
  return resolution.secret && !showSecrets ? redactValue(candidate.value) : candidate.value;
}

function redactResolution(resolution: EnvResolution, showSecrets: boolean) {
  const mapCandidate = (c: EnvCandidate) => ({ ...c, value: shown(resolution, c, showSecrets) });
  return {
    ...resolution,
    effective: resolution.effective ? mapCandidate(resolution.effective) : null,
    candidates: resolution.candidates.map(mapCandidate),
  };
}

export function registerEnvCommand(program: Command): void {
  program
    .command('env')
    .description(COMMAND_TABLE.env.summary)
    .argument('[dir]', 'project folder', '.')
    .option(
      '--node-env <env>',
      'NODE_ENV deciding which .env.$NODE_ENV files load (default: $NODE_ENV or development)',
    )
    .option('--no-process-env', 'ignore this shell’s environment and read only the .env files')
    .option('--show-secrets', 'print secret values instead of redacting them')
    .option('--json', 'print the resolution as JSON')
    .action((dir: string, options: EnvOptions) => {
      let report: ReturnType<typeof readProjectEnv>;
      try {
        report = readProjectEnv(dir, {
          ...(options.nodeEnv ? { nodeEnv: options.nodeEnv } : {}),
          ...(options.processEnv === false ? { processEnv: null } : {}),
        });
      } catch (error) {
        if (error instanceof ProjectDirError) throw new UsageError(error.message);
        throw error;
      }
      const showSecrets = options.showSecrets === true;
      const resolutions = report.resolutions.map((r) => redactResolution(r, showSecrets));
      if (options.json) {
        printJson({ ...report, resolutions, secretsRedacted: !showSecrets });
        return;
      }
      const out: string[] = [`Project ${report.dir} (NODE_ENV=${report.nodeEnv})`];
      out.push(
        `Env files, highest precedence first: ${report.files
          .map((f) => (f.present ? `${f.file} (${f.variableCount})` : paint('dim', `${f.file} (absent)`)))
          .join(', ')}`,
      );
      const cfg = report.configFile;
      out.push(
        cfg.chosen
          ? `Config file: ${cfg.chosen}${cfg.shadowed.length ? ` (ignored: ${cfg.shadowed.join(', ')})` : ''}`
          : 'Config file: none (looked for hexclave.config.ts, hexclave.config.js, stack.config.ts, stack.config.js)',
      );
      if (resolutions.length === 0) {
        out.push('No STACK_* or HEXCLAVE_* variables are set.');
      } else {
        const rows: string[][] = [['VARIABLE', 'EFFECTIVE NAME', 'SOURCE', 'VALUE']];
        for (const r of resolutions) {
          rows.push([
            r.canonicalName,
            r.effective ? r.effective.name : paint('red', '(not read)'),
            r.effective?.source ?? '',
            r.effective?.value ?? '',
          ]);
        }
        out.push('', table(rows));
        const warnings = resolutions.flatMap((r) => r.warnings);
        if (warnings.length > 0) out.push('', ...warnings.map((w) => `${paint('yellow', 'warning')} ${w}`));
      }
      if (!showSecrets)
        out.push('', paint('dim', 'Secret values are redacted; pass --show-secrets to print them.'));
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
