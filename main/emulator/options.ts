import type { CompatMode } from './compat.js';

/** Options of `startEmulator`, mirroring the `emulator` command's flags. */
export interface EmulatorOptions {
  /** 0 (default) = any free port. */
  readonly port?: number;
  readonly host?: string;
  readonly compat?: CompatMode;
  /** An existing Postgres database to use instead of the embedded server. */
  readonly databaseUrl?: string;
  /** Embedded cluster folder (default: `<app data>/emulator/postgres`, kept between runs). */
  readonly dataDir?: string;
  /** Embedded cluster in a temp folder, removed on stop. */
  readonly ephemeral?: boolean;
  /** Deterministic users to make sure exist (idempotent across restarts). */
  readonly seedUsers?: number;
  /** Base URL of the `iss` claim; default the emulator's own URL. */
  readonly issuerBase?: string;
  /** Access-token lifetime: seconds, or a duration like `90s`, `10m`, `1h` (default `10m`). */
  readonly accessTokenTtl?: string | number;
  /** Serve this project id (a UUID) instead of the database's default emulator project. */
  readonly projectId?: string;
  /** Also deliver every captured e-mail through this SMTP server (`smtp://user:pass@host:port`, `smtps://…`). */
  readonly smtpRelay?: string;
  /**
   * Serve the identity provider on this port of its own (upstream's mock OAuth server is on `<prefix>14`);
   * default: at `/mock-oauth` on the emulator's port. 0 = any free port.
   */
  readonly mockOAuthPort?: number;
  /**
   * Without `mockOAuthPort`: serve the identity provider on this port when it is free (the CLI passes upstream's
   * development port, so apps and tests written against upstream's local setup find it), else at `/mock-oauth`.
   */
  readonly preferredMockOAuthPort?: number;
  /**
   * Serve the Svix-compatible webhooks API on this port of its own (upstream's local Svix server is on
   * `<prefix>13`); default: at `/svix` on the emulator's port. 0 = any free port.
   */
  readonly svixPort?: number;
  /** Without `svixPort`: serve the webhooks API on this port when it is free, else at `/svix`. */
  readonly preferredSvixPort?: number;
  /**
   * Serve stored images (upstream's S3 bucket) on this port of its own (upstream's local S3 is on `<prefix>21`);
   * default: beside the API on the emulator's port. 0 = any free port.
   */
  readonly storagePort?: number;
  /** Without `storagePort`: serve stored images on this port when it is free, else beside the API. */
  readonly preferredStoragePort?: number;
  /** Log lines (stderr in the CLI); default silent. */
  readonly log?: (line: string) => void;
}

export interface ResolvedEmulatorOptions {
  readonly port: number;
  readonly host: string;
  readonly compat: CompatMode;
  readonly databaseUrl: string | null;
  readonly dataDir: string | null;
  readonly ephemeral: boolean;
  readonly seedUsers: number;
  readonly issuerBase: string | null;
  readonly accessTokenTtlSeconds: number;
  readonly projectId: string | null;
  readonly smtpRelay: string | null;
  readonly mockOAuthPort: number | null;
  readonly preferredMockOAuthPort: number | null;
  readonly svixPort: number | null;
  readonly preferredSvixPort: number | null;
  readonly storagePort: number | null;
  readonly preferredStoragePort: number | null;
  readonly log: (line: string) => void;
}

/** A bad option value; the message names the option and what would be valid. */
export class EmulatorOptionError extends Error {
  override readonly name = 'EmulatorOptionError';
}

const UNIT_SECONDS: Record<string, number> = { s: 1, sec: 1, m: 60, min: 60, h: 3600, hr: 3600, d: 86400 };
export const SDK_MIN_TOKEN_LIFETIME_SECONDS = 20;

/** `600`, `90s`, `10m`, `10min`, `1h`, `1d` → seconds. */
export function parseDuration(value: string | number, option = 'access token TTL'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = match?.[2]?.toLowerCase() || 's';
  const factor = UNIT_SECONDS[unit];
  const seconds = match && factor ? Math.round(Number(match[1]) * factor) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new EmulatorOptionError(
      `The ${option} must be a positive duration such as 600, 90s, 10m or 1h, got "${value}".`,
    );
  }
  return seconds;
}

function checkUrl(value: string, option: string, protocols: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EmulatorOptionError(`${option} must be a URL (${protocols.join(' or ')}), got "${value}".`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new EmulatorOptionError(`${option} must use ${protocols.join(' or ')}, got "${url.protocol}".`);
  }
  return value.replace(/\/+$/, '');
}

function checkPort(port: number, name: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EmulatorOptionError(
      `${name} must be an integer between 0 and 65535 (0 = any free port), got "${port}".`,
    );
  }
  return port;
}

export function resolveEmulatorOptions(options: EmulatorOptions): ResolvedEmulatorOptions {
  const compat = options.compat ?? 'dual';
  if (compat !== 'dual' && compat !== 'legacy') {
    throw new EmulatorOptionError(`compat must be "dual" or "legacy", got "${compat}".`);
  }
  const port = checkPort(options.port ?? 0, 'port');
  const mockOAuthPort =
    options.mockOAuthPort === undefined ? null : checkPort(options.mockOAuthPort, 'mock OAuth port');
  const svixPort = options.svixPort === undefined ? null : checkPort(options.svixPort, 'webhooks API port');
  const storagePort =
    options.storagePort === undefined ? null : checkPort(options.storagePort, 'image storage port');
  if (options.dataDir && options.ephemeral) {
    throw new EmulatorOptionError('Choose one of a data folder (--data-dir) or --ephemeral, not both.');
  }
  if (options.databaseUrl && (options.dataDir || options.ephemeral)) {
    throw new EmulatorOptionError(
      '--database-url uses your own Postgres; it cannot be combined with --data-dir or --ephemeral.',
    );
  }
  const seedUsers = options.seedUsers ?? 0;
  if (!Number.isInteger(seedUsers) || seedUsers < 0 || seedUsers > 10_000_000) {
    throw new EmulatorOptionError(
      `seed users must be a whole number from 0 to 10000000, got "${seedUsers}".`,
    );
  }
  const projectId = options.projectId ?? null;
  if (
    projectId !== null &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(projectId)
  ) {
    throw new EmulatorOptionError(
      `The project id must be a UUID (the SDKs reject anything else), got "${projectId}".`,
    );
  }
  return {
    port,
    host: options.host ?? '127.0.0.1',
    compat,
    databaseUrl: options.databaseUrl
      ? checkUrl(options.databaseUrl, 'The database URL', ['postgres:', 'postgresql:'])
      : null,
    dataDir: options.dataDir ?? null,
    ephemeral: options.ephemeral ?? false,
    seedUsers,
    issuerBase: options.issuerBase
      ? checkUrl(options.issuerBase, 'The issuer base', ['http:', 'https:'])
      : null,
    accessTokenTtlSeconds: parseDuration(options.accessTokenTtl ?? '10m'),
    projectId,
    smtpRelay: options.smtpRelay
      ? checkUrl(options.smtpRelay, 'The SMTP relay URL', ['smtp:', 'smtps:'])
      : null,
    mockOAuthPort,
    preferredMockOAuthPort:
      mockOAuthPort === null && options.preferredMockOAuthPort !== undefined
        ? checkPort(options.preferredMockOAuthPort, 'preferred mock OAuth port')
        : null,
    svixPort,
    preferredSvixPort:
      svixPort === null && options.preferredSvixPort !== undefined
        ? checkPort(options.preferredSvixPort, 'preferred webhooks API port')
        : null,
    storagePort,
    preferredStoragePort:
      storagePort === null && options.preferredStoragePort !== undefined
        ? checkPort(options.preferredStoragePort, 'preferred image storage port')
        : null,
    log: options.log ?? (() => {}),
  };
}
