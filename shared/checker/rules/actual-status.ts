import { identifier } from '../../registry/index.js';
import { headerRecord, requestLine } from '../exchange.js';
import { finding, identifierRef, missingNewSeverity } from '../finding.js';
import type { CheckContext, Exchange, Finding } from '../types.js';

const OVERRIDE = identifier('header.override-error-status');
const ACTUAL = identifier('header.actual-status');
const KNOWN_ERROR = identifier('header.known-error');

/**
 * The override contract (stack-protocol.md §2.4): only a request carrying override-error-status gets its 4xx
 * turned into HTTP 200 with the real status in actual-status; 5xx is never rewritten.
 */
export function checkActualStatus(exchange: Exchange, ctx: CheckContext): Finding[] {
  const response = exchange.response;
  if (!response) return [];
  const request = headerRecord(exchange.request.headers);
  const headers = headerRecord(response.headers);
  const overrideNames = [OVERRIDE.old, OVERRIDE.new!].filter((name) => request[name] !== undefined);
  const actual = headers[ACTUAL.new!] ?? headers[ACTUAL.old];
  const actualNames = [ACTUAL.old, ACTUAL.new!].filter((name) => headers[name] !== undefined);
  const line = requestLine(exchange);
  const findings: Finding[] = [];
  const push = (ruleId: string, input: Parameters<typeof finding>[1]) =>
    findings.push(finding(ruleId, input, exchange.id));

  if (actual !== undefined) {
    const evidence = `${line}; ${actualNames.map((n) => `${n}: ${headers[n]}`).join('; ')}; override sent as: ${overrideNames.join(', ') || 'none'}`;
    if (overrideNames.length === 0) {
      push('actual-status.without-override', {
        severity: 'error',
        identifier: identifierRef(ACTUAL, actualNames),
        message: `The backend rewrote the status (${actual}) although the request did not send ${OVERRIDE.old} or ${OVERRIDE.new}.`,
        expected: 'the real status, and no actual-status header',
        actual: `HTTP ${response.status} with actual-status ${actual}`,
        evidence,
      });
    }
    const code = Number(actual);
    if (!(code >= 400 && code <= 499)) {
      push('actual-status.not-4xx', {
        severity: 'error',
        identifier: identifierRef(ACTUAL, actualNames),
        message:
          code >= 500
            ? `A ${actual} server error was disguised as HTTP ${response.status}; 5xx must never be rewritten.`
            : `actual-status is ${actual}, which is not a 4xx status.`,
        expected: 'actual-status only for 4xx responses',
        actual: `actual-status ${actual}`,
        evidence,
      });
    }
    if (response.status !== 200) {
      push('actual-status.http-not-200', {
        severity: 'error',
        identifier: identifierRef(ACTUAL, actualNames),
        message: `actual-status is set but the HTTP status is ${response.status}, not 200.`,
        expected: 'HTTP 200 whenever actual-status is present',
        actual: `HTTP ${response.status}`,
        evidence,
      });
    }
    return findings;
  }

  if (overrideNames.length > 0 && response.status >= 400 && response.status <= 499) {
    // Only the hexclave name sent and not honoured: the backend does not dual-accept request headers.
    const onlyNew = overrideNames.length === 1 && overrideNames[0] === OVERRIDE.new;
    push('actual-status.override-ignored', {
      severity: onlyNew ? missingNewSeverity(ctx.expectedMode) : 'error',
      identifier: identifierRef(OVERRIDE, overrideNames),
      message: `The request sent ${overrideNames.join(' and ')} but the backend answered ${response.status} instead of 200 + actual-status: it ignores ${overrideNames.join(' and ')}.`,
      expected: `HTTP 200 with ${ACTUAL.old} and ${ACTUAL.new}: ${response.status}`,
      actual: `HTTP ${response.status}, no actual-status`,
      evidence: line,
    });
  }
  const knownError = headers[KNOWN_ERROR.new!] ?? headers[KNOWN_ERROR.old];
  if (knownError !== undefined && response.status >= 200 && response.status <= 299) {
    push('actual-status.error-as-success', {
      severity: 'error',
      identifier: identifierRef(ACTUAL),
      message: `The known error ${knownError} came back as HTTP ${response.status} without actual-status.`,
      expected: 'the real 4xx status, or HTTP 200 with actual-status when the client asked for the override',
      actual: `HTTP ${response.status}, no actual-status`,
      evidence: line,
    });
  }
  return findings;
}
