/**
 * What the in-page dev tool (overlay/) and the companion (main/overlay-host, main/electron/app-window) say to each
 * other. Types only plus a few constants, so the page bundle stays small; the companion validates every message
 * with its own zod schema (main/overlay-host/schema.ts) against these shapes.
 */

import type { Attribution, BrowserSnapshot, Exchange, Finding, Severity } from './checker/types.js';

/** `<script src="http://127.0.0.1:PORT/overlay.js">`: any page may load it. */
export const OVERLAY_SCRIPT_PATH = '/overlay.js';
/** The ingest WebSocket: reports in, acknowledgements out, nothing else. */
export const OVERLAY_INGEST_PATH = '/overlay/ingest';
/** The string in the built script that the companion replaces with OverlayEmbeddedConfig as base64url JSON. */
export const OVERLAY_CONFIG_PLACEHOLDER = '__HEXCLAVE_OVERLAY_CONFIG__';

/** Limits the companion enforces and the overlay respects before sending (bodies are cut, never the JSON). */
export const OVERLAY_LIMITS = {
  maxMessageBytes: 256 * 1024,
  maxBodyChars: 32 * 1024,
  maxHeaders: 200,
  maxFindings: 200,
  maxCookies: 200,
  /** Reports per page origin (whatever number of sockets or reconnects): sustained rate and burst. */
  messagesPerSecond: 50,
  burst: 200,
  /** Reports from all pages together. */
  globalMessagesPerSecond: 200,
  globalBurst: 400,
  /** New sockets a second, all origins together (a reconnect loop must not cost the companion its CPU). */
  connectionsPerSecond: 20,
  connectionBurst: 64,
  maxConnections: 32,
  /** A socket that sent no report this long is closed with IDLE_CLOSE_CODE; the overlay reopens it when it has one. */
  idleMs: 60_000,
  /** At the connection limit, a newcomer replaces the socket idle the longest, if idle at least this long. */
  evictIdleAfterMs: 2_000,
} as const;

/** Close code of a socket the companion closed for idleness: not an error, reconnect when there is news. */
export const IDLE_CLOSE_CODE = 4001;

/** Baked into the served script by the companion. */
export interface OverlayEmbeddedConfig {
  /** `http://127.0.0.1:PORT`, the companion that served the script. */
  readonly companionOrigin: string;
  /** Opens the ingest socket and nothing else: it cannot call the companion's API. */
  readonly ingestToken: string;
  readonly version: string;
}

export interface ExchangeReport {
  readonly type: 'exchange';
  readonly pageUrl: string;
  /** Secrets redacted in the page before sending (overlay/report/redact.ts). */
  readonly exchange: Exchange;
  readonly attribution: Attribution;
  /** Computed in the page on the unredacted exchange. */
  readonly findings: readonly Finding[];
}

export interface SnapshotReport {
  readonly type: 'snapshot';
  readonly pageUrl: string;
  /** Cookie and storage values redacted; `exchanges` left out (they were reported one by one). */
  readonly snapshot: BrowserSnapshot;
  readonly findings: readonly Finding[];
}

/** The user clicked "open in the companion" for an exchange it acknowledged. */
export interface FocusRequest {
  readonly type: 'focus';
  readonly seq: number;
  /** The page asking, so the companion shows the exchange in the right project. */
  readonly pageUrl?: string;
}

export type OverlayReport = ExchangeReport | SnapshotReport | FocusRequest;

export type IngestReply =
  | { readonly type: 'ready'; readonly version: string }
  /** The exchange `id` became item `seq` of the companion's Traffic list. */
  | { readonly type: 'ack'; readonly id: string; readonly seq: number }
  | { readonly type: 'dropped'; readonly reason: string };

/** What the wrapped app window (Electron) pushes into its overlay: traffic the companion captured through CDP. */
export interface WindowTrafficItem {
  readonly seq: number;
  readonly exchange: Exchange;
  readonly attribution: Attribution;
  readonly findings: readonly Finding[];
  readonly worst: Severity | null;
}

/** Exposed by the overlay preload in the wrapped window (main world, under OVERLAY_BRIDGE_GLOBAL). */
export interface OverlayWindowBridge {
  onTraffic(listener: (item: WindowTrafficItem) => void): void;
  report(message: SnapshotReport | FocusRequest): void;
}

export const OVERLAY_BRIDGE_GLOBAL = '__hexclaveCompanionOverlayBridge';

/** IPC between the overlay preload of the wrapped app window and the companion's main process. */
export const OVERLAY_IPC = {
  /** invoke → the built overlay script, run by the preload in the page's main world. */
  script: 'hexclave:overlay:script',
  /** main → preload: a WindowTrafficItem. */
  traffic: 'hexclave:overlay:traffic',
  /** preload → main: a SnapshotReport or FocusRequest (validated like the ingest socket's). */
  report: 'hexclave:overlay:report',
} as const;
