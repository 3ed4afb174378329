import pg from 'pg';
import { redactConnectionString, redactSecretsInText } from '../../shared/redact.js';

/** A problem a user can fix: the message names it and the fix; connection strings are already redacted. */
export class SyncConfigurationError extends Error {
  override readonly name = 'SyncConfigurationError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export const quoteIdent = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** A uuid literal for statements that cannot take parameters (COPY); the value is validated first. */
export function uuidLiteral(value: string): string {
  if (!isUuid(value)) throw new SyncConfigurationError(`"${value}" is not a UUID.`);
  return `'${value.toLowerCase()}'::uuid`;
}

export function bigintLiteral(value: number | bigint): string {
  const text = typeof value === 'bigint' ? value.toString() : String(Math.trunc(value));
  if (!/^-?\d+$/.test(text)) throw new Error(`Not an integer: ${text}`);
  return `${text}::bigint`;
}

/** Error text safe for logs and status: connection strings and keys redacted, pg's SQLSTATE kept. */
export function describeError(error: unknown): string {
  const base = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const withCode =
    typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? `${base} (SQLSTATE ${code})` : base;
  return redactSecretsInText(withCode);
}

export function redactUrl(url: string): string {
  return redactConnectionString(url);
}

/**
 * A dedicated connection with the session settings the sync relies on: ISO dates so COPY text round-trips
 * between servers whatever their DateStyle, and an application name that shows in pg_stat_activity.
 */
const SESSION_OPTIONS = '-c DateStyle=ISO,YMD -c IntervalStyle=postgres -c TimeZone=UTC';

/**
 * Asynchronous commit, for sessions whose commits a server crash may forget without harm: a mirror transaction
 * carries its rows and its checkpoint together (a lost one is simply re-applied), a lost queue claim is reclaimed.
 * Never for statements that call nextval on the source: an unflushed sequence advance could be handed out twice.
 */
export const ASYNC_COMMIT = '-c synchronous_commit=off';

/**
 * The sequencer's session finds flagged rows through the flag index and joins picked rows back one by one. The
 * planner would otherwise follow its statistics, which a mass update makes misleading (a third of the table flagged
 * at ANALYZE time, a handful an hour later): a sequential scan for a probe, a filtered walk of another index for a
 * pick, a hash join over the whole table for the stamp — each one O(table) per tick.
 */
export const SEQUENCER_SESSION =
  '-c enable_seqscan=off -c enable_bitmapscan=off -c enable_hashjoin=off -c enable_mergejoin=off';

/**
 * Every fetch transaction (a page, a first-sync snapshot) reads a slice of a table and looks derived columns
 * (users.primary_email) up per row, through an index, whatever the statistics say. A hash join would scan the whole
 * ContactChannel table for every page (at 1M users the planner picked it for a 20,000-row page: 3.5 s instead of
 * 0.1 s, O(N²) over a backfill). A project whose users were just created still has the statistics of empty tables,
 * and the plain join was then planned as a scan of every EMAIL channel per user: a 100,000-user snapshot ran for
 * minutes with the source busy and the target waiting for data (what looked like a stalled COPY).
 */
export const INDEX_LOOKUPS_ONLY =
  'SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL enable_seqscan = off';

/**
 * A first snapshot that reads a whole table at once joins its derived columns in one pass: a hash join over the
 * joined table's rows of the tenancy (read once, by index) instead of an index probe per row. bench:sync, 2 cores,
 * 100,000 users: 0.27 s against 0.56 s. Only joins are switched: sequential scans stay off (INDEX_LOOKUPS_ONLY).
 */
export const HASH_JOINS = 'SET LOCAL enable_hashjoin = on; SET LOCAL enable_nestloop = off';

/** Page fetches sort up to a page of rows: keep that in memory rather than in temp files. */
export const FETCH_SESSION = '-c work_mem=64MB';

/** Target sessions stage whole pages in temp tables. */
export const TARGET_SESSION = `${ASYNC_COMMIT} -c temp_buffers=64MB`;

/**
 * The side session writes mirror rows while a page of the same table merges, and that page waits for it before it
 * commits: were it to wait on a lock the page holds, neither would move. The keys side.ts leaves to the page keep it
 * off the page's rows, but a developer's trigger on the mirror table may write elsewhere (a row counter): such a wait
 * gives up after this long, and the side session gives way for that table.
 */
export const SIDE_SESSION = `${ASYNC_COMMIT} -c lock_timeout=250ms`;

/** Our session settings, appended to any `options` the URL already carries (e.g. a search_path). */
function connectionConfig(url: string, extra = ''): { connectionString: string; options?: string } {
  const ours = extra ? `${SESSION_OPTIONS} ${extra}` : SESSION_OPTIONS;
  try {
    const parsed = new URL(url);
    const existing = parsed.searchParams.get('options');
    if (existing === null) return { connectionString: url, options: ours };
    parsed.searchParams.set('options', `${existing} ${ours}`);
    return { connectionString: parsed.toString() };
  } catch {
    return { connectionString: url, options: ours };
  }
}

export async function openClient(url: string, role: string, extraOptions = ''): Promise<pg.Client> {
  const client = new pg.Client({
    ...connectionConfig(url, extraOptions),
    application_name: `hexclave-companion-sync:${role}`,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
  });
  // A server restart or a dropped socket must surface as a failed query, not an uncaught 'error' event.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new Error(`Cannot connect to ${redactUrl(url)}: ${describeError(error)}`);
  }
  return client;
}

/**
 * Several dedicated connections opened at once, all or none: if one fails, those that opened are closed and the
 * first failure is thrown.
 */
export async function openClients(
  url: string,
  sessions: readonly { readonly role: string; readonly options?: string }[],
): Promise<pg.Client[]> {
  const opened = await Promise.allSettled(sessions.map((s) => openClient(url, s.role, s.options)));
  const clients = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failure = opened.find((o) => o.status === 'rejected');
  if (failure) {
    await Promise.allSettled(clients.map((c) => c.end()));
    throw failure.reason;
  }
  return clients;
}

export function openPool(url: string, role: string, max: number, extraOptions = ''): pg.Pool {
  const pool = new pg.Pool({
    ...connectionConfig(url, extraOptions),
    application_name: `hexclave-companion-sync:${role}`,
    connectionTimeoutMillis: 10_000,
    max,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => {});
  return pool;
}

export const toNumber = (value: string | number | null | undefined): number | null =>
  value === null || value === undefined ? null : Number(value);
