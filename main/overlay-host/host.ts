import { randomBytes, timingSafeEqual } from 'node:crypto';
import { statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { OVERLAY_INGEST_PATH, OVERLAY_SCRIPT_PATH } from '../../shared/overlay-protocol.js';
import type { TrafficHub } from '../traffic/index.js';
import { type IngestOptions, OverlayIngest, type OverlayRouteHint } from './ingest.js';
import { isLoopbackPageOrigin } from './origins.js';
import { OverlayScriptSource, renderOverlayScript } from './script.js';
import { overlayScriptFile } from './script-file.js';

export interface OverlayHostOptions {
  /** Where a report goes: the hub of the project the page talks to, or null (the report is then dropped). */
  readonly hub: (hint: OverlayRouteHint) => TrafficHub | null;
  readonly version: string;
  /** The built script; default out/overlay/overlay.js. */
  readonly scriptFile?: string;
  /** The page asked to show exchange `seq` in the companion UI. */
  readonly onFocusRequest?: (seq: number, pageUrl: string | null) => void;
  readonly log?: (line: string) => void;
  /** Shorter time limits for tests. */
  readonly limits?: IngestOptions['limits'];
}

export interface OverlayHost {
  readonly scriptPath: typeof OVERLAY_SCRIPT_PATH;
  readonly ingestPath: typeof OVERLAY_INGEST_PATH;
  /** Opens the ingest socket only; it is not the launch token and the API refuses it. */
  readonly ingestToken: string;
  /**
   * `GET /overlay.js` for a request whose Host the server already pinned to itself. Any page may load it with a
   * plain script tag; only loopback origins get CORS headers (for `type="module"` or `crossorigin` tags).
   */
  serveScript(host: string, origin: string | undefined): Response;
  /** Upgrade to the ingest socket, after the server pinned the Host header. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

/** The companion side of the in-page dev tool: serves the script and takes its reports. */
export function createOverlayHost(options: OverlayHostOptions): OverlayHost {
  const ingestToken = randomBytes(24).toString('base64url');
  const expected = Buffer.from(ingestToken);
  const source = new OverlayScriptSource(
    options.scriptFile ?? overlayScriptFile(),
    (f) => statSync(f).mtimeMs,
  );
  const ingest = new OverlayIngest({
    tokenValid: (candidate) => {
      if (!candidate) return false;
      const given = Buffer.from(candidate);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
    hub: options.hub,
    ...(options.onFocusRequest ? { onFocusRequest: options.onFocusRequest } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });

  return {
    scriptPath: OVERLAY_SCRIPT_PATH,
    ingestPath: OVERLAY_INGEST_PATH,
    ingestToken,
    serveScript(host, origin) {
      let body: string;
      try {
        body = renderOverlayScript(source.text(), {
          companionOrigin: `http://${host.toLowerCase()}`,
          ingestToken,
          version: options.version,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return new Response(`console.error(${JSON.stringify(`[Hexclave dev tool] ${message}`)});`, {
          status: 503,
          headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' },
        });
      }
      const headers = new Headers({
        'content-type': 'text/javascript; charset=utf-8',
        // The token inside changes with every launch.
        'cache-control': 'no-store',
        'cross-origin-resource-policy': 'cross-origin',
        vary: 'Origin',
      });
      if (isLoopbackPageOrigin(origin)) headers.set('access-control-allow-origin', origin!);
      return new Response(body, { status: 200, headers });
    },
    handleUpgrade: (request, socket, head) => ingest.handleUpgrade(request, socket, head),
    close: () => ingest.close(),
  };
}
