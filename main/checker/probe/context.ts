import { isRecord, type JsonWebKeySet } from '../../../shared/checker/index.js';
import type { ProbeFamily } from '../../../shared/checker/report.js';
import { readDualResponseHeader } from '../../../shared/registry/index.js';
import type { ProbeRecorder, ProbeRequest, ProbeResponse } from './http.js';

export interface ProbeOptions {
  readonly apiUrl: string;
  readonly projectId: string;
  readonly publishableClientKey: string;
  readonly secretServerKey?: string;
  /** Per-request timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** Origin the CORS preflights claim to come from (default http://localhost:3000). */
  readonly origin?: string;
  /**
   * Base URLs the backend signs token issuers with, besides the hosted domains (default: the API URL's origin).
   * Differs from the API URL when a tunnel or proxy sits in front of the backend.
   */
  readonly issuerBaseUrls?: readonly string[];
  /**
   * Called once the project has answered and before anything is created, with what the run will create and how
   * it will remove it (the CLI prints it up front).
   */
  readonly onPlan?: (plan: CleanupPlan) => void;
}

/**
 * How the throwaway users are removed again: with the secret server key, by each user deleting itself (the
 * project allows client user deletion), or not created at all (neither is possible).
 */
export interface CleanupPlan {
  readonly kind: 'server-key' | 'self-delete' | 'create-nothing';
  /** One sentence for the user, said before the run creates anything. */
  readonly summary: string;
}

export type ScenarioStatus = 'pass' | 'fail' | 'skipped';

export interface ScenarioOutcome {
  readonly status: ScenarioStatus;
  readonly summary: string;
}

export interface ThrowawayUser {
  readonly family: ProbeFamily;
  readonly email: string;
  readonly password: string;
  userId?: string;
  /** The token its sign-up returned: enough to delete itself when the project allows it. */
  accessToken?: string;
  /** Set once the cleanup removed it. */
  deleted?: boolean;
}

/** What one SDK family's session holds between scenarios. */
export interface FamilySession {
  user?: ThrowawayUser;
  accessToken?: string;
  refreshToken?: string;
  userId?: string;
}

/** State shared by every scenario of one run. */
export interface ProbeState {
  readonly options: ProbeOptions;
  readonly recorder: ProbeRecorder;
  readonly users: ThrowawayUser[];
  readonly sessions: Record<ProbeFamily, FamilySession>;
  /** The project's first OAuth provider; null when it has none, undefined when project info was never read. */
  oauthProviderId?: string | null;
  /** `client_user_deletion_enabled` from project info; undefined when project info was never read. */
  clientUserDeletion?: boolean;
  jwks?: JsonWebKeySet;
  /** Decided after project info; `create-nothing` makes every scenario that needs a user skip. */
  cleanupPlan?: CleanupPlan;
}

/** What a scenario gets: its own request function (tagged with scenario and family) and the run's state. */
export interface ScenarioContext {
  readonly family: ProbeFamily | null;
  readonly state: ProbeState;
  send(request: ProbeRequest): Promise<ProbeResponse>;
}

export const pass = (summary: string): ScenarioOutcome => ({ status: 'pass', summary });
export const fail = (summary: string): ScenarioOutcome => ({ status: 'fail', summary });
export const skipped = (summary: string): ScenarioOutcome => ({ status: 'skipped', summary });

/** `HTTP 400 ACCESS_TYPE_REQUIRED` (with the real status when the override turned it into 200). */
export function describeAnswer(response: ProbeResponse): string {
  const body = response.json;
  const code = isRecord(body) && typeof body.code === 'string' ? ` ${body.code}` : '';
  const actual = readDualResponseHeader(response.headers, 'actual-status').value;
  const status = actual && response.status === 200 ? `${actual} (sent as 200)` : String(response.status);
  return `HTTP ${status}${code}`;
}

/** A 2xx answer whose real status (actual-status) is 2xx too. */
export function succeeded(response: ProbeResponse): boolean {
  const actual = readDualResponseHeader(response.headers, 'actual-status').value;
  return response.status >= 200 && response.status < 300 && actual === null;
}

export function field(body: unknown, name: string): string | undefined {
  return isRecord(body) && typeof body[name] === 'string' ? (body[name] as string) : undefined;
}
