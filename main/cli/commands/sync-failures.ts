import { redactConnectionString, redactSecretsInText } from '../../../shared/redact.js';
import { type SyncStatus, serverHeaders, usersEndpoint } from '../../sync/index.js';

/**
 * What `sync` says when it cannot do its work: one line naming the cause and the fix, for the source (checked before
 * the engine starts, so a dead backend or a wrong key is never a silent `rowsApplied: 0`) and for each target.
 */

/** The command cannot run: `runCli` prints the message as one `error:` line and exits 2. */
export class SyncSourceError extends Error {
  override readonly name = 'SyncSourceError';
}

const CREDENTIAL_CODES = new Set([
  'INVALID_SECRET_SERVER_KEY',
  'SERVER_AUTHENTICATION_REQUIRED',
  'CURRENT_PROJECT_NOT_FOUND',
  'INVALID_PROJECT_FOR_ACCESS_TOKEN',
  'PROJECT_KEY_WITHOUT_ACCESS_TYPE',
  'INSUFFICIENT_ACCESS_TYPE',
  'API_KEY_NOT_FOUND',
]);
const CREDENTIALS_FIX =
  'check --project-id and --secret-server-key (or HEXCLAVE_/STACK_ PROJECT_ID and SECRET_SERVER_KEY)';

function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer within 10 s';
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** One `GET /users?limit=1` as the sync would send it: reachable, a Stack/Hexclave API, and the key accepted. */
export async function checkApiSource(
  apiUrl: string,
  projectId: string,
  secretServerKey: string,
): Promise<void> {
  const url = usersEndpoint(apiUrl);
  url.searchParams.set('limit', '1');
  let response: Response;
  try {
    response = await fetch(url, {
      headers: serverHeaders(projectId, secretServerKey),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new SyncSourceError(
      `Cannot reach the backend API at ${url.origin} (${networkCause(error)}): check the --source URL and that the backend is running.`,
    );
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return;
  let code = '';
  try {
    code = String((JSON.parse(text) as { code?: unknown }).code ?? '');
  } catch {
    // not JSON: not a Stack/Hexclave API answer
  }
  if (CREDENTIAL_CODES.has(code) || (!code && (response.status === 401 || response.status === 403))) {
    throw new SyncSourceError(
      `The backend at ${url.origin} refused project ${projectId} with this secret server key (${code || `HTTP ${response.status}`}): ${CREDENTIALS_FIX}.`,
    );
  }
  if (!code) {
    throw new SyncSourceError(
      `${url.origin} answered GET ${url.pathname} with HTTP ${response.status}, not as a Stack Auth / Hexclave API: point --source at the backend's base URL (the one your SDK's baseUrl uses).`,
    );
  }
  throw new SyncSourceError(
    redactSecretsInText(
      `The backend at ${url.origin} refused to list users (HTTP ${response.status} ${code}): check the project's settings and the --source URL.`,
    ),
  );
}

/** The fix for a database connection failure, by what the error says. */
export function databaseFix(message: string, flag: '--source' | '--target'): string {
  if (/28P01|password authentication failed|no pg_hba/i.test(message))
    return `check the user and password in ${flag}`;
  if (/3D000|does not exist/i.test(message)) return `check the database name in ${flag}, or create it`;
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|timeout/i.test(message))
    return `check the host and port in ${flag} and that Postgres is running there`;
  if (/permission denied|42501/i.test(message)) return `give the ${flag} role the rights the sync needs`;
  return `check ${flag}`;
}

/** `error: …` for targets that failed a one-shot sync: the first named with its cause and fix, the rest counted. */
export function targetFailureLine(
  failed: readonly { id: string; error: string | null }[],
  status: SyncStatus,
): string {
  const first = failed[0]!;
  const connection = status.targets.find((t) => t.id === first.id)?.connection;
  const where = connection ? ` (${redactConnectionString(connection)})` : '';
  const cause = redactSecretsInText(first.error ?? 'failed').replace(/\s+/g, ' ');
  const others = failed.length > 1 ? ` ${failed.length - 1} other target(s) failed too.` : '';
  return `Target ${first.id}${where} was not updated (${cause}): ${databaseFix(cause, '--target')}.${others}`;
}
