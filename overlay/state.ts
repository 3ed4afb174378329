import { actualStatusOf } from '../shared/checker/exchange.js';
import type { Finding, Severity } from '../shared/checker/types.js';
import type { CookiePair } from './analysis/cookie-pairs.js';
import type { Headline, ObservedExchange, SdkSummary } from './analysis/model.js';
import type { SignedInUser } from './analysis/user.js';
import type { DevToolNames } from './names.js';
import type { ConnectionStatus } from './report/reporter.js';

export interface ExchangeView {
  readonly id: string;
  /** Item number in the companion's Traffic list (null until acknowledged, or standalone). */
  readonly seq: number | null;
  readonly method: string;
  readonly url: string;
  /** HTTP status; null when the request got no response. */
  readonly status: number | null;
  /** The status the SDK acts on (actual-status when the backend wrapped an error in HTTP 200). */
  readonly actualStatus: number | null;
  /** `network` when there was no response at all (CORS refusal, connection refused), never an HTTP status. */
  readonly failure: 'network' | null;
  readonly family: string;
  /** `session` when the family was inferred from the refresh token (the token refresh sends no SDK header). */
  readonly attributedBy: 'headers' | 'session' | 'none';
  readonly durationMs: number;
  readonly worst: Severity | null;
  readonly worstFinding: Pick<Finding, 'ruleId' | 'severity' | 'message' | 'explanation'> | null;
  readonly findingCount: number;
  /** Opens the companion's Traffic screen on this exchange. */
  readonly companionUrl: string | null;
}

/** What `getState()` returns: everything the panel shows, as plain data. */
export interface DevToolState {
  readonly version: string;
  /** `script` (served by the companion, any browser) or `window` (the companion's wrapped app window). */
  readonly mode: 'script' | 'window';
  readonly open: boolean;
  readonly companion: { readonly status: ConnectionStatus; readonly origin: string | null };
  readonly names: DevToolNames;
  /** The SDK's own dev tool on this page, if any: its root id and the console methods kept on this object. */
  readonly sdkDevTool: {
    readonly rootIds: readonly string[];
    readonly methods: readonly string[];
  };
  readonly sdk: SdkSummary;
  readonly user: (SignedInUser & { readonly expiresInSec: number | null }) | null;
  /** Is the SDK on this page signed in, as whom, and why (what its generation can read). */
  readonly headline: Headline;
  readonly cookiePairs: readonly CookiePair[];
  readonly snapshotFindings: readonly Finding[];
  /** Newest first. */
  readonly exchanges: readonly ExchangeView[];
}

export type DevToolEvent = 'open' | 'close' | 'change' | 'exchange' | 'snapshot' | 'connection';

/** One exchange as the panel lists it; `companionOrigin` makes the "open in the companion" link. */
export function exchangeView(item: ObservedExchange, companionOrigin: string | null): ExchangeView {
  const worst = item.findings.find((f) => f.severity === item.worst) ?? null;
  return {
    id: item.exchange.id,
    seq: item.seq,
    method: item.exchange.request.method,
    url: item.exchange.request.url,
    status: item.exchange.response?.status ?? null,
    actualStatus: item.exchange.response ? actualStatusOf(item.exchange.response.headers) : null,
    failure: item.exchange.response ? null : 'network',
    family: item.attribution.family,
    attributedBy: item.attribution.source,
    durationMs: item.exchange.durationMs,
    worst: item.worst,
    worstFinding: worst && {
      ruleId: worst.ruleId,
      severity: worst.severity,
      message: worst.message,
      ...(worst.explanation ? { explanation: worst.explanation } : {}),
    },
    findingCount: item.findings.length,
    companionUrl: item.seq !== null && companionOrigin ? `${companionOrigin}/#traffic/${item.seq}` : null,
  };
}
