import { identifier } from '../../registry/index.js';
import { headerRecord, isRecord, jsonBody, requestLine } from '../exchange.js';
import { finding, identifierRef, shown } from '../finding.js';
import type { CheckContext, Exchange, Finding } from '../types.js';

const KNOWN_ERROR = identifier('header.known-error');
const ACTUAL = identifier('header.actual-status');
const KNOWN_ERROR_CODE = /^[A-Z][A-Z0-9_]+$/;

function bodyCode(body: string | null | undefined): string | undefined {
  const json = jsonBody(body);
  return isRecord(json) && typeof json.code === 'string' ? json.code : undefined;
}

/** known-error must equal the body's `code` under each name it is sent with (both SDKs assert it). */
export function checkKnownError(exchange: Exchange, _ctx: CheckContext): Finding[] {
  const response = exchange.response;
  if (!response) return [];
  const headers = headerRecord(response.headers);
  const code = bodyCode(response.body);
  const line = requestLine(exchange);
  const findings: Finding[] = [];
  const sent = [KNOWN_ERROR.old, KNOWN_ERROR.new!].filter((name) => headers[name] !== undefined);
  for (const name of sent) {
    const value = headers[name]!;
    if (value === code) continue;
    findings.push(
      finding(
        'known-error.body-mismatch',
        {
          severity: 'error',
          identifier: identifierRef(KNOWN_ERROR, [name]),
          message:
            code === undefined
              ? `${name} is ${value} but the body has no error code.`
              : `${name} is ${value} but the body's code is ${code}.`,
          expected: `${name} equal to the body's code`,
          actual: `${name}: ${value}; body code: ${code ?? '(none)'}`,
          evidence: `${line}; body: ${shown(response.body ?? null)}`,
        },
        exchange.id,
      ),
    );
  }
  const status = Number(headers[ACTUAL.new!] ?? headers[ACTUAL.old] ?? response.status);
  if (sent.length === 0 && status >= 400 && code !== undefined && KNOWN_ERROR_CODE.test(code)) {
    findings.push(
      finding(
        'known-error.header-missing',
        {
          severity: 'error',
          identifier: identifierRef(KNOWN_ERROR),
          message: `The body is the known error ${code} but neither ${KNOWN_ERROR.old} nor ${KNOWN_ERROR.new} was sent.`,
          expected: `${KNOWN_ERROR.old} and ${KNOWN_ERROR.new}: ${code}`,
          actual: 'no known-error header',
          evidence: line,
        },
        exchange.id,
      ),
    );
  }
  return findings;
}
