import { type Exchange, type HeaderPairs, toHeaderPairs } from '../../../shared/checker/index.js';
import type { ProbeFamily } from '../../../shared/checker/report.js';

/** An exchange the probe made, with the scenario and family it belongs to. */
export interface ProbeExchange {
  readonly exchange: Exchange;
  readonly scenarioId: string;
  readonly family: ProbeFamily | null;
}

export interface ProbeRequest {
  readonly method?: string;
  /** Path below the API URL, e.g. `/api/v1/users/me`. */
  readonly path: string;
  readonly headers?: HeaderPairs;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
}

export interface ProbeResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
  readonly exchange: Exchange;
}

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

/** Records every request as an Exchange, in order; never follows redirects (the probe inspects them). */
export class ProbeRecorder {
  readonly exchanges: ProbeExchange[] = [];
  private counter = 0;

  constructor(
    private readonly apiUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async send(scenarioId: string, family: ProbeFamily | null, request: ProbeRequest): Promise<ProbeResponse> {
    const headers: [string, string][] = (request.headers ?? []).map(([n, v]) => [n, v]);
    let body: string | undefined;
    if (request.json !== undefined) {
      headers.push(['content-type', 'application/json']);
      body = JSON.stringify(request.json);
    } else if (request.form) {
      headers.push(['content-type', 'application/x-www-form-urlencoded;charset=UTF-8']);
      body = new URLSearchParams(request.form).toString();
    }
    const url = new URL(request.path, this.apiUrl).toString();
    const method = request.method ?? 'GET';
    const id = `p${++this.counter}`;
    const startedAt = Date.now();
    const started = performance.now();
    const base = { id, startedAt, request: { method, url, headers, body: body ?? null } };
    try {
      const res = await fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      const exchange: Exchange = {
        ...base,
        durationMs: performance.now() - started,
        response: {
          status: res.status,
          statusText: res.statusText,
          headers: toHeaderPairs(res.headers),
          body: text,
        },
      };
      this.exchanges.push({ exchange, scenarioId, family });
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json, exchange };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
      const message = `${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause})` : ''}`;
      const exchange: Exchange = {
        ...base,
        durationMs: performance.now() - started,
        response: null,
        error: message,
      };
      this.exchanges.push({ exchange, scenarioId, family });
      throw new NetworkError(`${method} ${url} failed: ${message}`);
    }
  }
}
