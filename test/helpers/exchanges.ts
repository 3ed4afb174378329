import type { Exchange, HeaderPairs } from '../../shared/checker/index.js';

export const PROJECT_ID = '6f9f4b8e-3c2a-4d5e-9f10-1a2b3c4d5e6f';
export const API = 'http://127.0.0.1:8102';

let counter = 0;

export interface ExchangeSpec {
  method?: string;
  path?: string;
  requestHeaders?: Record<string, string> | HeaderPairs;
  requestBody?: string;
  status?: number;
  responseHeaders?: Record<string, string> | HeaderPairs;
  responseBody?: unknown;
}

function pairs(headers: Record<string, string> | HeaderPairs | undefined): HeaderPairs {
  if (!headers) return [];
  return Array.isArray(headers) ? (headers as HeaderPairs) : Object.entries(headers);
}

/** A captured exchange for rule tests; bodies given as objects are serialised as JSON. */
export function exchange(spec: ExchangeSpec = {}): Exchange {
  const body = spec.responseBody;
  return {
    id: `x${++counter}`,
    startedAt: Date.now(),
    durationMs: 3,
    request: {
      method: spec.method ?? 'GET',
      url: `${API}${spec.path ?? '/api/v1/users/me'}`,
      headers: pairs(spec.requestHeaders),
      body: spec.requestBody ?? null,
    },
    response: {
      status: spec.status ?? 200,
      headers: pairs(spec.responseHeaders),
      body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    },
  };
}
