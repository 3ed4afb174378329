import { createFamilyTracker } from '../../shared/checker/attribution.js';
import { checkExchange, checkSnapshot } from '../../shared/checker/engine.js';
import { effectiveStatus, headerRecord } from '../../shared/checker/exchange.js';
import { worstSeverity } from '../../shared/checker/finding.js';
import {
  type PendingMigration,
  pendingRefreshMigration,
  type SdkGeneration,
  type SdkSession,
  sdkGeneration,
  sdkSession,
} from '../../shared/checker/sdk-session.js';
import type {
  Attribution,
  BrowserSnapshot,
  CheckContext,
  Exchange,
  Finding,
  Severity,
} from '../../shared/checker/types.js';
import type { WindowTrafficItem } from '../../shared/overlay-protocol.js';
import {
  type ClientFamily,
  identifier,
  normalizeRequestHeaders,
  parseCookieName,
} from '../../shared/registry/index.js';
import { type CookiePair, cookiePairs } from './cookie-pairs.js';
import { type SignedInUser, signedInUser, type TokenSighting, tokenSightings } from './user.js';

const KEPT_EXCHANGES = 50;

/** `DELETE /auth/sessions/current` that the backend answered with success. */
function isSignOut(exchange: Exchange): boolean {
  const status = exchange.response?.status ?? 0;
  return (
    exchange.request.method.toUpperCase() === 'DELETE' &&
    /\/auth\/sessions\/current(?:$|\?)/.test(exchange.request.url) &&
    status >= 200 &&
    status < 300 &&
    effectiveStatus(exchange) === status
  );
}
const KEPT_SIGHTINGS = 20;
const PROJECT_HEADER = identifier('header.project-id');
const CLIENT_VERSION = identifier('header.client-version');

export interface ObservedExchange {
  readonly exchange: Exchange;
  readonly attribution: Attribution;
  readonly findings: readonly Finding[];
  readonly worst: Severity | null;
  /** Item number in the companion's Traffic list, once it acknowledged the report. */
  seq: number | null;
}

export interface SdkSummary {
  /** `old` (x-stack-* only), `new` (x-hexclave-* only), `mixed` (both generations seen), `none` yet. */
  readonly family: ClientFamily;
  readonly clientVersions: readonly string[];
  readonly projectId: string | null;
  readonly apiBaseUrls: readonly string[];
}

/** The headline: is the SDK on this page signed in, and as whom, by what that SDK generation can read. */
export interface Headline {
  /** `unknown` until a request shows which SDK generation the page runs. */
  readonly status: 'signed-in' | 'signed-out' | 'unknown';
  readonly session: SdkSession | null;
  readonly user: SignedInUser | null;
  /** Why the user is (not) known, in plain words. */
  readonly note: string;
  /** A 2.8.108 page on stack cookies: what its next token write deletes and whom that signs out. */
  readonly pendingMigration: PendingMigration | null;
}

/** Browser state other than cookies that the snapshot rules read. */
export type PageFacts = Omit<BrowserSnapshot, 'exchanges'>;

/** Everything the panel shows, built from observed traffic and cookie snapshots with the shared rules engine. */
export class PageModel {
  private readonly families = createFamilyTracker();
  private readonly observed: ObservedExchange[] = [];
  private readonly trafficTokens: TokenSighting[] = [];
  private readonly apiBases = new Set<string>();
  private readonly versions = new Set<string>();
  private readonly familiesSeen = new Set<ClientFamily>();
  private projectId: string | null = null;
  private lastClientVersion: string | null = null;
  private lastHeaderFamily: ClientFamily = 'none';
  private lastFacts: PageFacts = { cookies: [] };
  private lastFindings: Finding[] = [];
  private lastPairs: CookiePair[] = [];

  context(): CheckContext {
    return {
      expectedMode: 'unknown',
      ...(this.projectId ? { projectId: this.projectId } : {}),
      apiBaseUrls: [...this.apiBases],
    };
  }

  /** An exchange the page made: attributed and checked here. */
  addExchange(exchange: Exchange, extra: readonly Finding[] = []): ObservedExchange {
    this.learn(exchange);
    const attribution = this.families.attribute(exchange);
    const findings = [...extra, ...checkExchange(exchange, this.context())];
    return this.keep(
      { exchange, attribution, findings, worst: worstSeverity(findings), seq: null },
      attribution,
    );
  }

  /** An exchange the companion captured and checked (wrapped window). */
  addCheckedExchange(item: WindowTrafficItem): ObservedExchange {
    this.learn(item.exchange);
    return this.keep({ ...item, findings: item.findings }, item.attribution);
  }

  acknowledge(exchangeId: string, seq: number): ObservedExchange | null {
    const item = this.observed.find((o) => o.exchange.id === exchangeId);
    if (item) item.seq = seq;
    return item ?? null;
  }

  /** Re-read the jar and storage; returns the snapshot the rules saw (with recent traffic) and their findings. */
  takeSnapshot(facts: PageFacts, now: number): { snapshot: BrowserSnapshot; findings: Finding[] } {
    const snapshot: BrowserSnapshot = { ...facts, exchanges: this.observed.map((o) => o.exchange) };
    this.lastFacts = facts;
    this.lastFindings = checkSnapshot(snapshot, this.context());
    this.lastPairs = cookiePairs(facts.cookies, now);
    return { snapshot, findings: this.lastFindings };
  }

  exchanges(): readonly ObservedExchange[] {
    return this.observed;
  }

  snapshotFindings(): readonly Finding[] {
    return this.lastFindings;
  }

  pairs(): readonly CookiePair[] {
    return this.lastPairs;
  }

  facts(): PageFacts {
    return this.lastFacts;
  }

  /** The generation whose cookie rules apply: from the newest request that named its SDK. */
  generation(): SdkGeneration | null {
    return sdkGeneration(this.lastClientVersion, this.lastHeaderFamily);
  }

  /**
   * Is the SDK on this page signed in, and as whom: from the cookies that SDK generation reads (its refresh
   * cookie, and the access cookie only when it belongs to that session), never from whichever cookie exists.
   */
  headline(): Headline {
    const apiBases = [...this.apiBases];
    const cookies = this.lastFacts.cookies;
    const generation = this.generation();
    const projectId = this.projectId ?? undefined;
    const hasAuthCookies = cookies.some((c) => parseCookieName(c.name) !== null);
    if (!generation) {
      return {
        status: 'unknown',
        session: null,
        user: null,
        note: 'No SDK request seen yet: which cookies count depends on the SDK version (2.8.102 reads stack-* only, 2.8.108 reads hexclave-* first).',
        pendingMigration: null,
      };
    }
    const session = sdkSession(cookies, generation, projectId);
    const pendingMigration = pendingRefreshMigration(cookies, generation, projectId);
    if (session.signedIn) {
      const fromCookie = session.accessToken
        ? signedInUser(
            [{ token: session.accessToken, source: `cookie ${session.accessCookie}`, seenAt: Date.now() }],
            apiBases,
          )
        : null;
      const user = fromCookie ?? signedInUser(this.trafficTokens, apiBases);
      const note = fromCookie
        ? `Access token from ${session.accessCookie}, refresh token from ${session.refreshCookie}.`
        : user
          ? `No access cookie for this session yet; user from the newest token the page sent (${user.source}).`
          : 'Signed in (refresh cookie present); the user shows once the SDK fetches an access token.';
      return { status: 'signed-in', session, user, note, pendingMigration };
    }
    // A token store other than cookies (memory, custom): the traffic is all there is.
    if (!hasAuthCookies && this.trafficTokens.length > 0) {
      const user = signedInUser(this.trafficTokens, apiBases);
      if (user) {
        return {
          status: 'signed-in',
          session,
          user,
          note: `No auth cookie on this page (token store other than cookies?); user from ${user.source}.`,
          pendingMigration,
        };
      }
    }
    return {
      status: 'signed-out',
      session,
      user: null,
      note: `The SDK on this page (${generation.version} rules) has no session it can read.`,
      pendingMigration,
    };
  }

  /** The headline's user (kept for `getState().user`). */
  user(): SignedInUser | null {
    return this.headline().user;
  }

  sdk(): SdkSummary {
    const old = this.familiesSeen.has('old');
    const fresh = this.familiesSeen.has('new');
    const family: ClientFamily =
      this.familiesSeen.has('mixed') || (old && fresh) ? 'mixed' : old ? 'old' : fresh ? 'new' : 'none';
    return {
      family,
      clientVersions: [...this.versions],
      projectId: this.projectId,
      apiBaseUrls: [...this.apiBases],
    };
  }

  private learn(exchange: Exchange): void {
    const url = exchange.request.url;
    const api = url.indexOf('/api/v1/');
    if (api > 0) this.apiBases.add(new URL(url).origin);
    const headers = headerRecord(exchange.request.headers);
    const normalized = normalizeRequestHeaders(headers);
    this.projectId = normalized.headers[PROJECT_HEADER.old] ?? this.projectId;
    const version = headers[CLIENT_VERSION.new!] ?? headers[CLIENT_VERSION.old];
    if (version) this.versions.add(version);
    if (normalized.family !== 'none') {
      this.familiesSeen.add(normalized.family);
      this.lastHeaderFamily = normalized.family;
      this.lastClientVersion = version ?? null;
    }
    if (isSignOut(exchange)) {
      // The session ended: tokens the page sent before belong to nobody now.
      this.trafficTokens.length = 0;
      return;
    }
    this.trafficTokens.push(...tokenSightings(exchange));
    this.trafficTokens.splice(0, Math.max(0, this.trafficTokens.length - KEPT_SIGHTINGS));
  }

  private keep(item: ObservedExchange, attribution: Attribution): ObservedExchange {
    if (attribution.family !== 'none') this.familiesSeen.add(attribution.family);
    this.observed.push(item);
    this.observed.splice(0, Math.max(0, this.observed.length - KEPT_EXCHANGES));
    return item;
  }
}
