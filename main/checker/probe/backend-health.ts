import type { HealthCheck } from '../../../shared/api/workspace-schemas.js';
import { isRecord } from '../../../shared/checker/index.js';
import { fieldPhrase, type ProjectField } from '../../../shared/project-fields.js';
import { readDualResponseHeader } from '../../../shared/registry/index.js';
import { clientHeaders } from './client-headers.js';
import { NetworkError, ProbeRecorder, type ProbeResponse } from './http.js';

/**
 * The short probe behind every health badge: is the backend reachable, does it answer like a Stack Auth /
 * Hexclave API, and does it accept this project's id and keys? Two requests at most, with the checker's own client
 * (`ProbeRecorder`), classified by upstream's known-error codes (the project is looked up before the key, so an
 * unknown project wins over a wrong key). A wrong credential is the user's setting to fix, never a broken backend.
 */

export interface BackendProbeInput {
  readonly apiUrl: string;
  readonly projectId: string;
  readonly publishableClientKey?: string | null;
  readonly secretServerKey?: string | null;
  /** Per request (default 5 s). */
  readonly timeoutMs?: number;
}

export interface BackendProbe {
  /** Reachable and a Stack/Hexclave API, or why not. */
  readonly backend: HealthCheck;
  /** The project id and keys accepted, or which one is refused. */
  readonly keys: HealthCheck;
}

const check = (
  state: HealthCheck['state'],
  label: string,
  detail: string | null = null,
  field: ProjectField | null = null,
): HealthCheck => ({ state, label, detail, field });

/** Known errors that are about the caller's settings, with the setting at fault and what to do. */
const CREDENTIAL_ERRORS: Record<string, { field: ProjectField; label: string; fix: (id: string) => string }> =
  {
    CURRENT_PROJECT_NOT_FOUND: {
      field: 'projectId',
      label: 'project not found',
      fix: (id) =>
        `The backend has no project ${id}: check ${fieldPhrase('projectId')} (and that this is its backend).`,
    },
    PROJECT_NOT_FOUND: {
      field: 'projectId',
      label: 'project not found',
      fix: (id) => `The backend has no project ${id}: check ${fieldPhrase('projectId')}.`,
    },
    INVALID_PUBLISHABLE_CLIENT_KEY: {
      field: 'publishableClientKey',
      label: 'publishable key refused',
      fix: (id) =>
        `The backend does not accept this publishable client key for project ${id}: copy the pck_… key of that project.`,
    },
    PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT: {
      field: 'publishableClientKey',
      label: 'publishable key required',
      fix: (id) => `Project ${id} requires a publishable client key: add its pck_… key.`,
    },
    INVALID_SECRET_SERVER_KEY: {
      field: 'secretServerKey',
      label: 'secret server key refused',
      fix: (id) =>
        `The backend does not accept this secret server key for project ${id}: copy the ssk_… key of that project.`,
    },
    API_KEY_NOT_FOUND: {
      field: 'secretServerKey',
      label: 'secret server key refused',
      fix: (id) =>
        `The backend does not know this secret server key for project ${id}: copy the ssk_… key of that project.`,
    },
  };

/** The known-error code of an answer (header first, then the body), or null. */
export function knownErrorCode(response: ProbeResponse): string | null {
  const header = readDualResponseHeader(response.headers, 'known-error').value;
  if (header) return header;
  return isRecord(response.json) && typeof response.json.code === 'string' ? response.json.code : null;
}

/** An answer only a Stack Auth / Hexclave API gives: a JSON object (a project, a user list or a known error). */
function answersLikeTheApi(response: ProbeResponse): boolean {
  return isRecord(response.json) && (knownErrorCode(response) !== null || response.status < 300);
}

function notTheApi(apiUrl: string, path: string, response: ProbeResponse): HealthCheck {
  const type = response.headers.get('content-type')?.split(';')[0] ?? 'no content type';
  return check(
    'error',
    'not a Stack/Hexclave API',
    `${new URL(apiUrl).origin} answered GET ${path} with HTTP ${response.status} (${type}), not as a Stack Auth / Hexclave API: ${fieldPhrase('apiUrl')} is the backend's base URL (e.g. http://localhost:8102), not your app's.`,
    'apiUrl',
  );
}

function unreachable(apiUrl: string, error: unknown): HealthCheck {
  const message = error instanceof Error ? error.message : String(error);
  const url = new URL(apiUrl);
  let cause = /\(([^()]*)\)$/.exec(message)?.[1] ?? message;
  if (cause === 'bad port') cause = `port ${url.port} is one that browsers and fetch refuse to connect to`;
  if (cause === 'fetch failed') cause = 'connection failed';
  return check(
    'error',
    'unreachable',
    `No answer from ${url.origin} (${cause}): check ${fieldPhrase('apiUrl')} and that the backend is running.`,
    'apiUrl',
  );
}

const NOT_CHECKED = check(
  'unknown',
  'not checked',
  'The backend did not answer, so the keys could not be tried.',
);

async function send(
  recorder: ProbeRecorder,
  path: string,
  headers: [string, string][],
): Promise<ProbeResponse> {
  return recorder.send('health', null, { path, headers });
}

/** Probe the backend once; never throws (every failure is a state of the result). */
export async function probeBackend(input: BackendProbeInput): Promise<BackendProbe> {
  const recorder = new ProbeRecorder(input.apiUrl, input.timeoutMs ?? 5000);
  const { projectId } = input;
  const publishableClientKey = input.publishableClientKey ?? '';
  const projectPath = '/api/v1/projects/current';
  let project: ProbeResponse;
  try {
    project = await send(
      recorder,
      projectPath,
      // The old names: every backend, renamed or not, reads them.
      clientHeaders('old', { projectId, publishableClientKey, overrideErrorStatus: false }).filter(
        ([name, value]) => value !== '' || !/publishable-client-key$/.test(name),
      ),
    );
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    return { backend: unreachable(input.apiUrl, error), keys: NOT_CHECKED };
  }
  if (!answersLikeTheApi(project)) {
    return { backend: notTheApi(input.apiUrl, projectPath, project), keys: NOT_CHECKED };
  }
  if (project.status >= 500) {
    return {
      backend: check('error', `answers HTTP ${project.status}`, `The backend failed on GET ${projectPath}.`),
      keys: NOT_CHECKED,
    };
  }
  const backend = check(
    'ok',
    'reachable',
    `${new URL(input.apiUrl).origin} answers as a Stack/Hexclave API.`,
  );
  const code = knownErrorCode(project);
  const credential = code ? CREDENTIAL_ERRORS[code] : undefined;
  if (credential)
    return { backend, keys: check('error', credential.label, credential.fix(projectId), credential.field) };
  if (code || !isRecord(project.json) || project.json.id !== projectId) {
    return {
      backend,
      keys: check(
        'warn',
        'not confirmed',
        `GET ${projectPath} answered ${code ?? `project ${String(isRecord(project.json) ? project.json.id : '?')}`}.`,
      ),
    };
  }
  if (!input.secretServerKey) {
    return {
      backend,
      keys: check(
        'ok',
        publishableClientKey ? 'accepted' : 'project found',
        publishableClientKey
          ? 'The project id and publishable client key are accepted; no secret server key to try.'
          : 'The project is found without a publishable client key; no secret server key to try.',
      ),
    };
  }
  let users: ProbeResponse;
  try {
    users = await send(
      recorder,
      '/api/v1/users?limit=1',
      clientHeaders('old', {
        projectId,
        publishableClientKey,
        secretServerKey: input.secretServerKey,
        accessType: 'server',
        overrideErrorStatus: false,
      }).filter(([name, value]) => value !== '' || !/publishable-client-key$/.test(name)),
    );
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    return { backend: unreachable(input.apiUrl, error), keys: NOT_CHECKED };
  }
  const serverCode = knownErrorCode(users);
  const serverCredential = serverCode ? CREDENTIAL_ERRORS[serverCode] : undefined;
  if (serverCredential) {
    return {
      backend,
      keys: check('error', serverCredential.label, serverCredential.fix(projectId), serverCredential.field),
    };
  }
  if (users.status >= 300) {
    return {
      backend,
      keys: check(
        'warn',
        'server access not confirmed',
        `GET /api/v1/users answered HTTP ${users.status}${serverCode ? ` ${serverCode}` : ''}.`,
        'secretServerKey',
      ),
    };
  }
  return {
    backend,
    keys: check('ok', 'accepted', 'The project id and keys are accepted, the secret server key too.'),
  };
}
