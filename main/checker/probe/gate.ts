import { headerRecord, isRecord } from '../../../shared/checker/index.js';
import type { ScenarioResult } from '../../../shared/checker/report.js';
import { readDualResponseHeader } from '../../../shared/registry/index.js';
import type { ProbeOptions } from './context.js';
import type { ProbeExchange } from './http.js';

/**
 * When a run cannot judge the backend at all: wrong credentials or a server that is not a Stack Auth / Hexclave
 * API. Neither says anything about the backend's dual layer, so the CLI exits 2 with the cause instead of calling
 * the backend broken. The known-error codes are upstream's (apps/backend smart-request: the project is looked up
 * before the key, so an unknown project wins over a wrong key).
 */

/** Thrown when the probe cannot run at all (unreachable backend): the CLI exits 2 with its message. */
export class CannotRunError extends Error {
  override readonly name = 'CannotRunError';
}

type Cause = (options: ProbeOptions) => string;

const CREDENTIAL_CAUSES: Record<string, Cause> = {
  CURRENT_PROJECT_NOT_FOUND: (o) =>
    `the backend has no project ${o.projectId} (CURRENT_PROJECT_NOT_FOUND): check --project-id`,
  PROJECT_NOT_FOUND: (o) =>
    `the backend has no project ${o.projectId} (PROJECT_NOT_FOUND): check --project-id`,
  INVALID_PUBLISHABLE_CLIENT_KEY: (o) =>
    `the backend does not accept this publishable client key for project ${o.projectId} (INVALID_PUBLISHABLE_CLIENT_KEY): check --publishable-client-key (the pck_… key of that project)`,
  PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT: (o) =>
    `project ${o.projectId} requires a publishable client key (PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT): pass --publishable-client-key`,
  INVALID_SECRET_SERVER_KEY: (o) =>
    `the backend does not accept this secret server key for project ${o.projectId} (INVALID_SECRET_SERVER_KEY): check --secret-server-key (the ssk_… key of that project), or leave it out`,
};

function codeOf(probe: ProbeExchange): string | null {
  const response = probe.exchange.response;
  if (!response) return null;
  const header = readDualResponseHeader(headerRecord(response.headers), 'known-error').value;
  if (header) return header;
  try {
    const body: unknown = JSON.parse(response.body ?? '');
    return isRecord(body) && typeof body.code === 'string' ? body.code : null;
  } catch {
    return null;
  }
}

/**
 * An answer only a Stack Auth / Hexclave backend gives: a header of either family (upstream sets its request id on
 * every response) or a JSON body naming a known-error code. A web app, a static page or another JSON API gives
 * neither.
 */
function answersLikeTheApi(probe: ProbeExchange): boolean {
  const headers = probe.exchange.response?.headers ?? [];
  if (headers.some(([name]) => /^x-(stack|hexclave)-/i.test(name))) return true;
  return codeOf(probe) !== null;
}

const of = (exchanges: readonly ProbeExchange[], scenario: string) =>
  exchanges.filter((e) => e.scenarioId.split(':')[0] === scenario);
const passed = (results: readonly ScenarioResult[], scenario: string) =>
  results.some((r) => r.scenario === scenario && r.status === 'pass');

function credentialCause(
  exchanges: readonly ProbeExchange[],
  codes: readonly string[],
  options: ProbeOptions,
): string | null {
  const seen = new Set(exchanges.map(codeOf));
  const code = codes.find((c) => seen.has(c));
  return code ? CREDENTIAL_CAUSES[code]!(options) : null;
}

/**
 * After project info (and the server-key scenario) answered: throws CannotRunError when no SDK family could read
 * the project because of the credentials, or when nothing answered like the API at all.
 */
export function gateOnCredentials(
  exchanges: readonly ProbeExchange[],
  results: readonly ScenarioResult[],
  options: ProbeOptions,
): void {
  const where = `Cannot check ${options.apiUrl}`;
  const project = of(exchanges, 'project');
  if (project.every((e) => e.exchange.response === null)) {
    const error = project[0]?.exchange.error ?? 'no answer';
    throw new CannotRunError(
      `Cannot reach ${options.apiUrl}: ${error}. Check --api-url and that the backend is running.`,
    );
  }
  if (!passed(results, 'project')) {
    const cause = credentialCause(
      project,
      [
        'CURRENT_PROJECT_NOT_FOUND',
        'PROJECT_NOT_FOUND',
        'PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT',
        'INVALID_PUBLISHABLE_CLIENT_KEY',
      ],
      options,
    );
    if (cause) throw new CannotRunError(`${where}: ${cause}.`);
    if (!project.some(answersLikeTheApi)) {
      const answer = project.find((e) => e.exchange.response)!.exchange.response!;
      const type = headerRecord(answer.headers)['content-type']?.split(';')[0] ?? 'no content type';
      throw new CannotRunError(
        `${where}: it does not answer like a Stack Auth / Hexclave API (GET /api/v1/projects/current gave HTTP ${answer.status}, ${type}, with no x-stack-*/x-hexclave-* header or known-error code). Check --api-url: it is the backend's base URL (e.g. http://localhost:8102), not your app's.`,
      );
    }
  }
  if (options.secretServerKey && !passed(results, 'server-users')) {
    const cause = credentialCause(of(exchanges, 'server-users'), ['INVALID_SECRET_SERVER_KEY'], options);
    if (cause) throw new CannotRunError(`${where}: ${cause}.`);
  }
}
