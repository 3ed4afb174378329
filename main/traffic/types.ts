import type { Attribution, Exchange, Finding, Severity } from '../../shared/checker/index.js';

/** Where an exchange was seen: the capture proxy, the in-page overlay, the wrapped app window, or a probe run. */
export type TrafficSource = 'proxy' | 'overlay' | 'window' | 'probe';

/** One request, however many capturers saw it (see sightings.ts). */
export interface TrafficItem {
  /** Increases by one per new request, across sources; a second sighting keeps the row's seq. */
  readonly seq: number;
  /** The capturer whose exchange is shown: the richest sighting (proxy, then window, then overlay). */
  readonly source: TrafficSource;
  /** Every capturer that saw this request, richest first. */
  readonly sources: readonly TrafficSource[];
  /** The page that made the request, when a capturer knows it (overlay, wrapped window). */
  readonly pageUrl: string | null;
  readonly exchange: Exchange;
  readonly attribution: Attribution;
  /** Merged over the sightings: one verdict per request. */
  readonly findings: readonly Finding[];
  readonly worst: Severity | null;
  readonly sightings: readonly Sighting[];
}

/** What one capturer saw of one request, and what the rules made of it. */
export interface Sighting {
  readonly source: TrafficSource;
  readonly exchange: Exchange;
  readonly pageUrl: string | null;
  readonly attribution: Attribution;
  readonly findings: readonly Finding[];
}
