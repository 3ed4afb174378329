import { resolve } from 'node:path';
import { readProjectEnv } from '../main/env/index.js';
import type { MirrorSettings } from '../main/mirror/index.js';
import { COMPANION_ENV } from '../shared/companion-env.js';
import { type EnvResolution, projectSettingEnvNames } from '../shared/registry/index.js';
import { callLogPath, type ProjectDescriptor, readProjectDescriptor } from './project-descriptor.js';

/** Flags of `hexclave-companion mcp`; each overrides the environment. */
export interface McpFlags {
  readonly readOnly?: boolean;
  readonly mirrorDatabaseUrl?: string;
  readonly mirrorSchema?: string;
  readonly apiUrl?: string;
  readonly projectId?: string;
  readonly publishableClientKey?: string;
  readonly secretServerKey?: string;
  readonly projectDir?: string;
  readonly statementTimeoutMs?: number;
  /** A companion project id: its published backend, mirror and live sync status fill in what flags do not. */
  readonly project?: string;
}

export interface McpServerConfig {
  readonly readOnly: boolean;
  /** The developer's project folder: explain_env reads inside it, its .env files supply defaults. */
  readonly projectDir: string;
  readonly mirror: MirrorSettings | null;
  readonly apiUrl: string | null;
  readonly projectId: string | null;
  readonly publishableClientKey: string | null;
  readonly secretServerKey: string | null;
  /** Largest row cap query_mirror accepts. */
  readonly maxRows: number;
  /** The companion project this server serves (`--project`), if any. */
  readonly project: string | null;
  /** Status snapshots the companion writes once a second while the project's sync engine runs. */
  readonly statusFile: string | null;
  /** Where each tool call is appended (one JSON line), for the companion's MCP screen. */
  readonly callLog: string | null;
  /** Where each setting came from (`--api-url`, `HEXCLAVE_API_URL in .env.local`, …), for diagnostics. */
  readonly sources: Readonly<Record<string, string>>;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
const DEFAULT_LOCK_TIMEOUT_MS = 1000;

export class McpConfigError extends Error {
  override readonly name = 'McpConfigError';
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/**
 * Resolve the server's configuration: flags first, then the dual reader over the process environment and the
 * project's .env files (HEXCLAVE_* before STACK_*, Next.js file precedence), exactly as `hexclave-companion env`
 * shows it.
 */
export function resolveMcpConfig(
  givenFlags: McpFlags,
  env: NodeJS.ProcessEnv = process.env,
): McpServerConfig {
  let flags = givenFlags;
  let descriptor: ProjectDescriptor | null = null;
  if (flags.project) {
    try {
      descriptor = readProjectDescriptor(flags.project);
    } catch (error) {
      throw new McpConfigError(error instanceof Error ? error.message : String(error));
    }
  }
  // The companion project's values act as flags; explicit flags still win.
  const fromProject = (value: string | null | undefined, flag: string | undefined) =>
    flag !== undefined && flag !== '' ? flag : (value ?? undefined);
  flags = {
    ...flags,
    apiUrl: fromProject(descriptor?.apiUrl, flags.apiUrl),
    projectId: fromProject(descriptor?.projectId, flags.projectId),
    publishableClientKey: fromProject(descriptor?.publishableClientKey, flags.publishableClientKey),
    mirrorDatabaseUrl: fromProject(descriptor?.mirrorDatabaseUrl, flags.mirrorDatabaseUrl),
  };
  const projectDir = resolve(flags.projectDir ?? process.cwd());
  const report = readProjectEnv(projectDir, { processEnv: env, nodeEnv: env.NODE_ENV ?? 'development' });
  const byName = new Map<string, EnvResolution>(report.resolutions.map((r) => [r.canonicalName, r]));
  const sources: Record<string, string> = {};

  const pick = (setting: string, flag: string | undefined, flagName: string, names: readonly string[]) => {
    if (flag !== undefined && flag !== '') {
      sources[setting] = flagName;
      return flag;
    }
    for (const name of names) {
      const effective = byName.get(name)?.effective;
      if (effective) {
        sources[setting] = `${effective.name} (${effective.source})`;
        return effective.value;
      }
    }
    return null;
  };

  const statementTimeoutText = pick(
    'statementTimeoutMs',
    flags.statementTimeoutMs?.toString(),
    '--statement-timeout-ms',
    [COMPANION_ENV.mcpStatementTimeoutMs.name],
  );
  const statementTimeoutMs =
    statementTimeoutText === null ? DEFAULT_STATEMENT_TIMEOUT_MS : Number(statementTimeoutText);
  if (!Number.isInteger(statementTimeoutMs) || statementTimeoutMs < 100 || statementTimeoutMs > 600_000) {
    throw new McpConfigError(
      `Statement timeout "${statementTimeoutText}" is not a whole number of milliseconds between 100 and 600000.`,
    );
  }
  const mirrorUrl = pick('mirrorDatabaseUrl', flags.mirrorDatabaseUrl, '--mirror-database-url', [
    COMPANION_ENV.mirrorDatabaseUrl.name,
  ]);
  if (mirrorUrl !== null && !/^postgres(ql)?:\/\//.test(mirrorUrl)) {
    throw new McpConfigError('The mirror database URL must start with postgres:// or postgresql://.');
  }
  const schema =
    pick('mirrorSchema', flags.mirrorSchema, '--mirror-schema', [COMPANION_ENV.mirrorSchema.name]) ??
    'public';
  const readOnlyFromEnv = pick('readOnly', undefined, '', [COMPANION_ENV.mcpReadOnly.name]);
  const readOnly = flags.readOnly === true || truthy(readOnlyFromEnv ?? undefined);
  if (flags.readOnly) sources.readOnly = '--read-only';

  return {
    readOnly,
    projectDir,
    mirror:
      mirrorUrl === null
        ? null
        : {
            url: mirrorUrl,
            schema,
            statementTimeoutMs,
            // Below the statement timeout, so a lock wait is reported (and retried) as one.
            lockTimeoutMs: Math.min(DEFAULT_LOCK_TIMEOUT_MS, Math.floor(statementTimeoutMs / 2)),
          },
    apiUrl:
      pick('apiUrl', flags.apiUrl, '--api-url', projectSettingEnvNames('apiUrl'))?.replace(/\/+$/, '') ??
      null,
    projectId: pick('projectId', flags.projectId, '--project-id', projectSettingEnvNames('projectId')),
    publishableClientKey: pick(
      'publishableClientKey',
      flags.publishableClientKey,
      '--publishable-client-key',
      projectSettingEnvNames('publishableClientKey'),
    ),
    secretServerKey: pick(
      'secretServerKey',
      flags.secretServerKey,
      '--secret-server-key',
      projectSettingEnvNames('secretServerKey'),
    ),
    maxRows: 1000,
    project: flags.project ?? null,
    statusFile: descriptor?.statusFile ?? null,
    callLog: flags.project ? callLogPath(flags.project) : null,
    sources,
  };
}
