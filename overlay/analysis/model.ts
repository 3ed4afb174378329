import { createFamilyTracker } from '../../shared/checker/attribution.js';
import { checkExchange, checkSnapshot } from '../../shared/checker/engine.js';
import { headerRecord } from '../../shared/checker/exchange.js';
import { worstSeverity } from '../../shared/checker/finding.js';
import type {
  Attribution,
  BrowserSnapshot,
  CheckContext,
  Exchange,
  Finding,
  Severity,
} from '../../shared/checker/types.js';
import type { WindowTrafficItem } from '../../shared/overlay-protocol.js';
import { type ClientFamily, identifier, normalizeRequestHeaders } from '../../shared/registry/index.js';
import { type CookiePair, cookiePairs } from './cookie-pairs.js';
import { type SignedInUser, signedInUser, type TokenSighting, tokenSightings } from './user.js';

const KEPT_EXCHANGES = 50;
const KEPT_SIGHTINGS = 20;
const PROJECT_HEADER = identifier('header.project-id');
const CLIENT_VERSION = identifier('header.client-version');
const ACCESS_COOKIE = identifier('cookie.access');

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
  private lastFacts: PageFacts = { cookies: [] };
  private lastFindings: Finding[] = [];
  private lastPairs: CookiePair[] = [];
  private cookieTokens: TokenSighting[] = [];

  context(): CheckContext {
    return {
      expectedMode: 'unknown',
      ...(this.projectId ? { projectId: this.projectId } : {}),
      apiBaseUrls: [...this.apiBases],
    };
  }

  /** An exchange the page made: attributed and checked here. */
  addExchange(exchange: Exchange): ObservedExchange {
    this.learn(exchange);
    const attribution = this.families.attribute(exchange);
    const findings = checkExchange(exchange, this.context());
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
    this.lastPairs = cookiePairs(facts.cookies);
    this.cookieTokens = this.accessCookieTokens(facts, now);
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

  /** From the access cookies when the jar has one (what the SDK will use), else from the traffic's tokens. */
  user(): SignedInUser | null {
    const sightings = this.cookieTokens.length > 0 ? this.cookieTokens : this.trafficTokens;
    return signedInUser(sightings, [...this.apiBases]);
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
    if (normalized.family !== 'none') this.familiesSeen.add(normalized.family);
    this.trafficTokens.push(...tokenSightings(exchange));
    this.trafficTokens.splice(0, Math.max(0, this.trafficTokens.length - KEPT_SIGHTINGS));
  }

  private keep(item: ObservedExchange, attribution: Attribution): ObservedExchange {
    if (attribution.family !== 'none') this.familiesSeen.add(attribution.family);
    this.observed.push(item);
    this.observed.splice(0, Math.max(0, this.observed.length - KEPT_EXCHANGES));
    return item;
  }

  /** Access tokens in the access cookies, hexclave first as 2.8.108 reads them. */
  private accessCookieTokens(facts: PageFacts, now: number): TokenSighting[] {
    const out: TokenSighting[] = [];
    for (const name of [ACCESS_COOKIE.new!, ACCESS_COOKIE.old]) {
      const cookie = facts.cookies.find((c) => c.name === name);
      if (!cookie) continue;
      try {
        const value: unknown = JSON.parse(decodeURIComponent(cookie.value));
        if (Array.isArray(value) && typeof value[1] === 'string') {
          out.push({ token: value[1], source: `cookie ${name}`, seenAt: now });
        }
      } catch {
        // An unreadable access cookie holds no user; the snapshot rules report it.
      }
    }
    return out;
  }
}
