import { styleText } from 'node:util';
import { type Finding, requestLine, sortFindings, worstSeverity } from '../../shared/checker/index.js';
import type { CapturedExchange } from './store.js';

const FAMILY_WORD = { old: 'old SDK', new: 'new SDK', mixed: 'mixed', none: '—' } as const;

/** Errors and warnings: info and "not checked" say nothing is wrong. */
const isProblem = (f: Finding) => f.severity === 'error' || f.severity === 'warning';

function worstFinding(findings: readonly Finding[]): Finding | null {
  return sortFindings(findings.filter(isProblem))[0] ?? null;
}

/** `12:03:04 GET /api/v1/users/me → 200  new SDK  8 ms  error client.new-headers-ignored x-hexclave-access-type`. */
export function formatLogLine(captured: CapturedExchange, color: boolean): string {
  const paint = (style: Parameters<typeof styleText>[0], text: string) =>
    color ? styleText(style, text) : text;
  const { exchange, attribution, findings } = captured;
  const time = new Date(exchange.startedAt).toISOString().slice(11, 23);
  const family = FAMILY_WORD[attribution.family] + (attribution.source === 'session' ? '*' : '');
  const worst = worstFinding(findings);
  const severity = worstSeverity(findings.filter(isProblem));
  const notChecked = findings.filter((f) => f.severity === 'not-checked').length;
  const verdict = worst
    ? paint(
        severity === 'error' ? 'red' : 'yellow',
        `${worst.severity} ${worst.ruleId}${worst.identifier ? ` ${worst.identifier.names?.[0] ?? worst.identifier.hexclave ?? worst.identifier.stack}` : ''}`,
      )
    : paint('green', 'ok') + (notChecked > 0 ? paint('dim', ` (${notChecked} not checked)`) : '');
  const more = findings.filter(isProblem).length - (worst ? 1 : 0);
  const line = exchange.error
    ? `${exchange.request.method} ${new URL(exchange.request.url).pathname} → failed: ${exchange.error}`
    : requestLine(exchange);
  return `${paint('dim', time)} ${line}  ${family.padEnd(8)} ${Math.round(exchange.durationMs)} ms  ${verdict}${more > 0 ? paint('dim', ` (+${more} more)`) : ''}`;
}
