import type { Command } from 'commander';
import { EmulatorOptionError, type EmulatorOptions, startEmulator } from '../../emulator/index.js';
import { onShutdown, stopOnSignals } from '../../lifecycle/index.js';
import { COMMAND_TABLE } from '../command-table.js';
import { logLine } from '../output.js';
import { parsePort } from '../parse-port.js';
import { UsageError } from '../usage-error.js';

interface EmulatorCommandOptions {
  readonly port?: string;
  readonly host?: string;
  readonly compat?: string;
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  readonly ephemeral?: boolean;
  readonly seedUsers?: string;
  readonly issuerBase?: string;
  readonly accessTokenTtl?: string;
  readonly projectId?: string;
  readonly smtpRelay?: string;
  readonly mockOauthPort?: string;
  readonly svixPort?: string;
  readonly storagePort?: string;
}

function parseCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--seed-users must be a whole number, got "${value}".`);
  return Number(value);
}

function toEmulatorOptions(options: EmulatorCommandOptions): EmulatorOptions {
  if (options.compat !== undefined && options.compat !== 'dual' && options.compat !== 'legacy') {
    throw new UsageError(`--compat must be "dual" or "legacy", got "${options.compat}".`);
  }
  return {
    port: parsePort(options.port),
    host: options.host,
    compat: options.compat,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    ephemeral: options.ephemeral,
    seedUsers: parseCount(options.seedUsers),
    issuerBase: options.issuerBase,
    accessTokenTtl: options.accessTokenTtl,
    projectId: options.projectId,
    smtpRelay: options.smtpRelay,
    ...mockOAuthPlacement(options.mockOauthPort),
    ...svixPlacement(options.svixPort),
    ...storagePlacement(options.storagePort),
    log: logLine,
  };
}

export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description(COMMAND_TABLE.emulator.summary)
    .option('--port <port>', 'port to listen on (0 = any free port)', '0')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--compat <mode>',
      'dual (the backend with the rename’s compat layer) or legacy (today’s Stack Auth)',
      'dual',
    )
    .option('--database-url <url>', 'use this Postgres database instead of the embedded server')
    .option(
      '--data-dir <dir>',
      'embedded Postgres data folder (default: in the app-data folder, kept between runs)',
    )
    .option('--ephemeral', 'embedded Postgres in a temp folder, removed on exit')
    .option('--seed-users <n>', 'make sure n deterministic users exist (seed-user-<i>@example.com)')
    .option('--issuer-base <url>', 'base URL of the access tokens’ iss claim (default: the emulator’s URL)')
    .option('--access-token-ttl <duration>', 'access-token lifetime, e.g. 90s, 10m, 1h', '10m')
    .option('--project-id <uuid>', 'serve this project id instead of the default one')
    .option(
      '--smtp-relay <url>',
      'also deliver captured e-mail through this SMTP server (smtp://user:pass@host:port or smtps://…)',
    )
    .option(
      '--mock-oauth-port <port>',
      'serve the mock OAuth provider on this port, or "mounted" for /mock-oauth on --port (default: upstream’s development port <prefix>14 — NEXT_PUBLIC_STACK_PORT_PREFIX, 81 if unset — when free, else mounted)',
    )
    .option(
      '--svix-port <port>',
      'serve the Svix-compatible webhooks API on this port, or "mounted" for /svix on --port (default: upstream’s development port <prefix>13 when free, else mounted)',
    )
    .option(
      '--storage-port <port>',
      'serve uploaded profile images on this port, or "mounted" for /stack-storage on --port (default: upstream’s development S3 port <prefix>21 when free, else mounted)',
    )
    .option('--json', 'accepted for symmetry: the ready line is always one JSON object')
    .action(async (options: EmulatorCommandOptions) => {
      // First: a signal during startup (initdb, Postgres starting, migrations) must stop what has started.
      stopOnSignals({ log: logLine });
      let running: Awaited<ReturnType<typeof startEmulator>>;
      try {
        running = await startEmulator(toEmulatorOptions(options));
      } catch (error) {
        if (error instanceof EmulatorOptionError) throw new UsageError(error.message);
        throw error;
      }
      onShutdown(() => running.stop());
      const {
        apiUrl,
        projectId,
        publishableClientKey,
        secretServerKey,
        superSecretAdminKey,
        internalProject,
        mailboxUrl,
        mockOAuthUrl,
        svixUrl,
        storageUrl,
        internalDatabaseUrl,
        compat,
      } = running;
      process.stdout.write(
        `${JSON.stringify({ event: 'ready', apiUrl, projectId, publishableClientKey, secretServerKey, superSecretAdminKey, internalProject, mailboxUrl, mockOAuthUrl, svixUrl, storageUrl, internalDatabaseUrl, compat })}\n`,
      );
      logLine('Press Ctrl+C to stop.');
    });
}

/**
 * Where the identity provider listens. By default on upstream's development port (`<prefix>14`, where upstream runs
 * its mock OAuth server and where upstream's own e2e tests and sample apps look for it) when that port is free.
 */
function mockOAuthPlacement(flag: string | undefined): {
  mockOAuthPort?: number;
  preferredMockOAuthPort?: number;
} {
  const { port, preferred } = sidePort(flag, '--mock-oauth-port', '14');
  return { mockOAuthPort: port, preferredMockOAuthPort: preferred };
}

/** Where the webhooks API listens: likewise on upstream's Svix port `<prefix>13` (STACK_SVIX_SERVER_URL there). */
function svixPlacement(flag: string | undefined): { svixPort?: number; preferredSvixPort?: number } {
  const { port, preferred } = sidePort(flag, '--svix-port', '13');
  return { svixPort: port, preferredSvixPort: preferred };
}

/** Where uploaded images are served: upstream's local S3 port `<prefix>21`, bucket path `/stack-storage`. */
function storagePlacement(flag: string | undefined): { storagePort?: number; preferredStoragePort?: number } {
  const { port, preferred } = sidePort(flag, '--storage-port', '21');
  return { storagePort: port, preferredStoragePort: preferred };
}

function sidePort(
  flag: string | undefined,
  name: string,
  suffix: string,
): { port?: number; preferred?: number } {
  if (flag === 'mounted') return {};
  if (flag !== undefined) return { port: parsePort(flag, name) };
  const prefix = process.env.NEXT_PUBLIC_STACK_PORT_PREFIX?.trim() || '81';
  return /^\d{1,2}$/.test(prefix) ? { preferred: Number(`${prefix}${suffix}`) } : {};
}
