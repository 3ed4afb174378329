import { entriesOf, findByName } from '../../registry/index.js';
import { headerList, headerRecord, isPreflight, requestLine } from '../exchange.js';
import { finding, identifierRef, missingNewSeverity } from '../finding.js';
import type { CheckContext, Exchange, Finding, Severity } from '../types.js';
import { corsHeaderFix } from './network.js';

const REQUEST_HEADERS = entriesOf('request-header');
const RESPONSE_HEADERS = entriesOf('response-header');

function severityForMissing(missingName: string, hexclaveName: string | null, ctx: CheckContext): Severity {
  return missingName === hexclaveName ? missingNewSeverity(ctx.expectedMode) : 'error';
}

function checkPreflight(exchange: Exchange, ctx: CheckContext, out: Finding[]): void {
  const response = exchange.response!;
  const request = headerRecord(exchange.request.headers);
  const headers = headerRecord(response.headers);
  const line = requestLine(exchange);
  const allowOrigin = headers['access-control-allow-origin'];
  if (response.status < 200 || response.status > 299 || allowOrigin === undefined) {
    out.push(
      finding(
        'cors.preflight-failed',
        {
          severity: 'error',
          identifier: null,
          message: `The CORS preflight was answered ${response.status}${allowOrigin === undefined ? ' without Access-Control-Allow-Origin' : ''}.`,
          expected: '2xx with Access-Control-Allow-Origin',
          actual: `HTTP ${response.status}, Access-Control-Allow-Origin: ${allowOrigin ?? '(absent)'}`,
          evidence: line,
        },
        exchange.id,
      ),
    );
    return;
  }
  const allowed = headerList(headers['access-control-allow-headers']);
  if (allowed.has('*')) return;
  for (const name of headerList(request['access-control-request-headers'])) {
    if (allowed.has(name)) continue;
    const entry = findByName(name).find((m) => m.entry.category === 'request-header')?.entry;
    out.push(
      finding(
        'cors.request-header-not-allowed',
        {
          severity: entry ? severityForMissing(name, entry.new, ctx) : 'error',
          identifier: entry ? identifierRef(entry, [name]) : null,
          message: `The preflight does not allow ${name}, which the client wants to send; the browser will block the request.`,
          expected: `${name} in Access-Control-Allow-Headers`,
          actual: `Access-Control-Allow-Headers: ${headers['access-control-allow-headers'] ?? '(absent)'}`,
          evidence: line,
          explanation: corsHeaderFix(name),
        },
        exchange.id,
      ),
    );
  }
  for (const entry of REQUEST_HEADERS) {
    const hasOld = allowed.has(entry.old);
    const hasNew = allowed.has(entry.new!);
    if (hasOld === hasNew) continue;
    const missing = hasOld ? entry.new! : entry.old;
    out.push(
      finding(
        'cors.request-family-incomplete',
        {
          severity: severityForMissing(missing, entry.new, ctx),
          identifier: identifierRef(entry, [missing]),
          message: `Access-Control-Allow-Headers allows ${hasOld ? entry.old : entry.new} but not ${missing}.`,
          expected: `both ${entry.old} and ${entry.new}`,
          actual: `only ${hasOld ? entry.old : entry.new}`,
          evidence: line,
        },
        exchange.id,
      ),
    );
  }
}

function checkExposed(exchange: Exchange, ctx: CheckContext, out: Finding[]): void {
  const headers = headerRecord(exchange.response!.headers);
  const raw = headers['access-control-expose-headers'];
  if (raw === undefined) return;
  const exposed = headerList(raw);
  if (exposed.has('*')) return;
  for (const entry of RESPONSE_HEADERS) {
    const hasOld = exposed.has(entry.old);
    const hasNew = exposed.has(entry.new!);
    if (hasOld === hasNew) continue;
    const missing = hasOld ? entry.new! : entry.old;
    out.push(
      finding(
        'cors.expose-family-incomplete',
        {
          severity: severityForMissing(missing, entry.new, ctx),
          identifier: identifierRef(entry, [missing]),
          message: `Access-Control-Expose-Headers exposes ${hasOld ? entry.old : entry.new} but not ${missing}; browser code cannot read ${missing} cross-origin.`,
          expected: `both ${entry.old} and ${entry.new} exposed`,
          actual: `Access-Control-Expose-Headers: ${raw}`,
          evidence: requestLine(exchange),
        },
        exchange.id,
      ),
    );
  }
}

/** Preflights must allow both request-header families; responses must expose both response-header families. */
export function checkCors(exchange: Exchange, ctx: CheckContext): Finding[] {
  if (!exchange.response) return [];
  const out: Finding[] = [];
  if (isPreflight(exchange)) checkPreflight(exchange, ctx, out);
  checkExposed(exchange, ctx, out);
  return out;
}
