import {
  type Exchange,
  headerRecord,
  mergeSightingFindings,
  worstSeverity,
} from '../../shared/checker/index.js';
import { readDualResponseHeader } from '../../shared/registry/index.js';
import type { Sighting, TrafficItem, TrafficSource } from './types.js';

/**
 * One request seen by several capturers becomes one Traffic row. The capture proxy sees the request on the wire
 * (whole tokens, Set-Cookie, every header), the in-page dev tool sees it from the page (redacted, only what CORS
 * lets JavaScript read) and the app window through the DevTools protocol; the richest sighting is shown, the
 * page URL comes from whoever knows it, and the findings of all of them are merged (mergeSightingFindings).
 */

/** Whose exchange a merged row shows: the one with the most of the wire. */
const RICHNESS: Record<TrafficSource, number> = { proxy: 3, window: 2, overlay: 1, probe: 0 };
/** Page clock and proxy clock are the same machine's; a report may trail its request by the page's idle queue. */
const SAME_REQUEST_WINDOW_MS = 5_000;
/** How far back a sighting looks for the row it belongs to. */
const LOOK_BACK = 500;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** A value a capturer replaced before reporting (fingerprints, stripped signatures, redaction markers). */
const redacted = (value: string) => /redacted|•••/.test(value);

function sameQuery(a: URL, b: URL): boolean {
  const names = (url: URL) => [...url.searchParams.keys()].sort().join('&');
  if (names(a) !== names(b)) return false;
  for (const [name, value] of a.searchParams) {
    const other = b.searchParams.get(name) ?? '';
    if (value !== other && !redacted(value) && !redacted(other)) return false;
  }
  return true;
}

const requestId = (exchange: Exchange) =>
  readDualResponseHeader(headerRecord(exchange.response?.headers ?? []), 'request-id').value;

/**
 * Whether two sightings are of the same request: same method, path and query (redacted values aside), same
 * status, close in time — and, when both could read the backend's request id, the same id. The origin is not
 * compared: the page calls the proxy's address, the proxy records the backend's.
 */
export function sameRequest(a: Exchange, b: Exchange): boolean {
  if (a.request.method.toUpperCase() !== b.request.method.toUpperCase()) return false;
  const [urlA, urlB] = [parse(a.request.url), parse(b.request.url)];
  if (!urlA || !urlB || urlA.pathname !== urlB.pathname || !sameQuery(urlA, urlB)) return false;
  if ((a.response?.status ?? null) !== (b.response?.status ?? null)) return false;
  const [idA, idB] = [requestId(a), requestId(b)];
  if (idA && idB) return idA === idB;
  return Math.abs(a.startedAt - b.startedAt) <= SAME_REQUEST_WINDOW_MS;
}

/** Index of the row a new sighting belongs to (another capturer's, nearest in time), or -1. */
export function findRowOf(items: readonly TrafficItem[], sighting: Sighting): number {
  let best = -1;
  let bestGap = Number.POSITIVE_INFINITY;
  for (let i = items.length - 1; i >= Math.max(0, items.length - LOOK_BACK); i--) {
    const item = items[i]!;
    if (item.sightings.some((s) => s.source === sighting.source)) continue;
    if (!sameRequest(item.exchange, sighting.exchange)) continue;
    const gap = Math.abs(item.exchange.startedAt - sighting.exchange.startedAt);
    if (gap < bestGap) {
      best = i;
      bestGap = gap;
    }
  }
  return best;
}

/** A row from its sightings: the richest one's exchange, everyone's findings. */
export function rowOf(seq: number, sightings: readonly Sighting[]): TrafficItem {
  const ordered = [...sightings].sort((a, b) => RICHNESS[b.source] - RICHNESS[a.source]);
  const primary = ordered[0]!;
  const findings = mergeSightingFindings(ordered.map((s) => s.findings));
  const attributed = ordered.find((s) => s.attribution.family !== 'none') ?? primary;
  return {
    seq,
    source: primary.source,
    sources: ordered.map((s) => s.source),
    pageUrl: ordered.find((s) => s.pageUrl !== null)?.pageUrl ?? null,
    exchange: primary.exchange,
    attribution: attributed.attribution,
    findings,
    worst: worstSeverity(findings),
    sightings: ordered,
  };
}
