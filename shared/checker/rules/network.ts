import { findByName } from '../../registry/index.js';
import { requestLine } from '../exchange.js';
import { finding } from '../finding.js';
import type { Exchange, Finding } from '../types.js';

/** How to get a request header past a backend's CORS preflight: the same advice wherever the refusal is seen. */
export function corsHeaderFix(headerName: string): string {
  const entry = findByName(headerName.toLowerCase()).find(
    (m) => m.entry.category === 'request-header',
  )?.entry;
  if (entry?.new && entry.new === headerName.toLowerCase()) {
    return `The backend predates the compatibility layer: it neither accepts nor allows ${headerName}, which @stackframe/js 2.8.108 sends instead of ${entry.old}. Deploy the compatibility layer on the backend first (it allows both families), or pin @stackframe/js to 2.8.102 until it is deployed.`;
  }
  return `Add ${headerName} to the backend's Access-Control-Allow-Headers, or stop sending it from the browser.`;
}

/** An exchange without a response is a network error, never an HTTP error: say so, with what the browser said. */
export function checkNoResponse(exchange: Exchange): Finding[] {
  if (exchange.response) return [];
  return [
    finding(
      'client.no-response',
      {
        severity: 'warning',
        identifier: null,
        message:
          'No response: a network error (backend unreachable, connection refused or a request the browser blocked), not an HTTP status.',
        expected: 'an HTTP response',
        actual: exchange.error ? `error: ${exchange.error}` : 'no response',
        evidence: requestLine(exchange),
      },
      exchange.id,
    ),
  ];
}

/**
 * The request died at its CORS preflight: a probe from the page found the backend reachable and the preflight
 * refusing `refused` (each header asked for alone). The page itself only ever sees "Failed to fetch".
 */
export function preflightRefusedFinding(exchange: Exchange, refused: readonly string[]): Finding {
  const first = refused[0]!;
  const entry = findByName(first.toLowerCase()).find((m) => m.entry.category === 'request-header')?.entry;
  return finding(
    'cors.preflight-refused',
    {
      severity: 'error',
      identifier: entry ? { id: entry.id, stack: entry.old, hexclave: entry.new, names: [...refused] } : null,
      message: `The backend's CORS preflight does not allow ${refused.join(', ')}: the browser blocked the request before it was sent.`,
      expected: `${refused.join(', ')} in Access-Control-Allow-Headers`,
      actual: `Request header field ${first} is not allowed by Access-Control-Allow-Headers in preflight response`,
      evidence: `${requestLine(exchange)}; each request header re-asked alone: refused ${refused.join(', ')}`,
      explanation: corsHeaderFix(first),
    },
    exchange.id,
  );
}
