import pg from 'pg';
import { redactConnectionString, redactSecretsInText } from '../../shared/redact.js';
import { MirrorQueryError } from './errors.js';
import { auditMirrorRole, privilegedRoleError } from './role-audit.js';

export interface MirrorSettings {
  /** postgres:// URL of the mirror database. */
  readonly url: string;
  /** Schema holding the mirror tables; unqualified names resolve there first. */
  readonly schema: string;
  readonly statementTimeoutMs: number;
  /** How long a statement may wait for a lock before failing with 55P03 (retried by the profiler). */
  readonly lockTimeoutMs: number;
  readonly connectTimeoutMs?: number;
}

// Dates, times and bytea stay as Postgres prints them: JSON-safe, and no time-zone reinterpretation of
// `timestamp without time zone` (upstream's mirror columns) by the JavaScript Date constructor.
const RAW_TEXT_OIDS = new Set([
  17, 1082, 1083, 1114, 1184, 1186, 1266, 1001, 1115, 1182, 1183, 1185, 1187, 1270,
]);
const mirrorTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    RAW_TEXT_OIDS.has(oid)
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface MirrorSession {
  readonly client: pg.Client;
  /** True once the server or the network closed this connection (pg gives such errors no SQLSTATE). */
  readonly lost: () => boolean;
}

/** One dedicated connection per call: nothing a statement does to a session can leak into the next call. */
export async function withMirrorSession<T>(
  settings: MirrorSettings,
  fn: (session: MirrorSession) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: settings.url,
    connectionTimeoutMillis: settings.connectTimeoutMs ?? 5000,
    application_name: 'hexclave-companion-mcp',
    types: mirrorTypes,
  });
  let lost = false;
  let closing = false;
  // Only a close we did not ask for counts as a lost connection.
  client.on('error', () => {
    lost = true;
  });
  client.on('end', () => {
    if (!closing) lost = true;
  });
  try {
    await client.connect();
  } catch (error) {
    closing = true;
    await client.end().catch(() => {});
    const reason = redactSecretsInText(error instanceof Error ? error.message : String(error));
    throw new MirrorQueryError(
      'connection',
      `Cannot connect to the mirror database at ${redactConnectionString(settings.url)}: ${reason || 'connection failed'}. Check --mirror-database-url (or HEXCLAVE_MIRROR_DATABASE_URL) and that Postgres is running.`,
      (error as { code?: string }).code,
      { cause: error },
    );
  }
  try {
    return await fn({ client, lost: () => lost });
  } finally {
    closing = true;
    await client.end().catch(() => {});
  }
}

/**
 * Run `fn` inside BEGIN READ ONLY with local statement and lock timeouts and the mirror schema first on the
 * search path, then ROLLBACK whatever happened. The transaction's read-only flag is read back and checked, and the
 * connection's role must be a plain reader (`role-audit.ts`): a superuser or a role that can write is refused
 * before any of the caller's SQL runs, with the statements that create a proper one.
 */
export async function inReadOnlyTransaction<T>(
  session: MirrorSession,
  settings: MirrorSettings,
  fn: () => Promise<T>,
): Promise<T> {
  const { client } = session;
  await client.query('BEGIN TRANSACTION READ ONLY');
  try {
    const applied = await client.query<{ read_only: string }>(
      `SELECT set_config('statement_timeout', $1, true),
              set_config('lock_timeout', $2, true),
              set_config('search_path', $3, true),
              current_setting('transaction_read_only') AS read_only`,
      [
        String(settings.statementTimeoutMs),
        String(settings.lockTimeoutMs),
        `${client.escapeIdentifier(settings.schema)}, pg_catalog`,
      ],
    );
    if (applied.rows[0]?.read_only !== 'on') {
      throw new MirrorQueryError('postgres', 'The mirror connection did not enter a read-only transaction.');
    }
    const audit = await auditMirrorRole(client, settings.schema);
    if (audit.problems.length > 0) throw privilegedRoleError(audit, settings);
    return await fn();
  } finally {
    if (!session.lost()) await client.query('ROLLBACK').catch(() => {});
  }
}

/**
 * A query sent with the extended protocol even without parameters: Postgres then parses exactly one statement,
 * so `SELECT 1; DELETE …` fails as a whole instead of running both. (pg honours `queryMode`; @types/pg lacks it.)
 */
export function singleStatement(text: string, rowMode?: 'array'): pg.QueryConfig {
  const config: pg.QueryConfig & { queryMode: 'extended'; rowMode?: 'array' } = {
    text,
    queryMode: 'extended',
    ...(rowMode ? { rowMode } : {}),
  };
  return config;
}

/** The server process id of a connection (pg sets it after connecting; @types/pg lacks it). */
export function backendPid(client: pg.Client): number {
  return (client as pg.Client & { processID?: number }).processID ?? -1;
}
