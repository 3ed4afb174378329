import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { TrafficDetail, TrafficSummary } from '../../shared/api/workspace-schemas.js';
import {
  headerRecord,
  type JsonWebKeySet,
  parseSetCookies,
  redactBody,
  redactHeader,
  redactUrl,
  tokensIn,
  verifySignature,
  worstSeverity,
} from '../../shared/checker/index.js';
import { checkIssuer, cookieTwinName, entriesOf } from '../../shared/registry/index.js';
import { CLOCK_TOLERANCE_SEC, explainTimes } from '../../shared/tokens.js';
import { curlCommand } from './curl.js';
import type { TrafficItem } from './hub.js';

const DUAL_HEADERS = [...entriesOf('request-header'), ...entriesOf('response-header')];

function setCookieLines(item: TrafficItem): string[] {
  if (item.exchange.setCookies) return [...item.exchange.setCookies];
  return (item.exchange.response?.headers ?? [])
    .filter(([n]) => n.toLowerCase() === 'set-cookie')
    .map(([, v]) => v);
}

export function toSummary(item: TrafficItem): TrafficSummary {
  const { exchange } = item;
  return {
    seq: item.seq,
    source: item.source,
    sources: [...item.sources],
    startedAt: exchange.startedAt,
    durationMs: exchange.durationMs,
    method: exchange.request.method,
    url: redactUrl(exchange.request.url),
    status: exchange.response?.status ?? null,
    family: item.attribution.family,
    worst: item.worst,
    findingCount: item.findings.length,
    requestHeaderNames: [...new Set(exchange.request.headers.map(([n]) => n.toLowerCase()))],
    responseHeaderNames: [...new Set((exchange.response?.headers ?? []).map(([n]) => n.toLowerCase()))],
    setCookieNames: parseSetCookies(setCookieLines(item)).map((c) => c.name),
  };
}

/** Each registry header present in either family, stack and hexclave values side by side. */
function pairRows(headers: readonly (readonly [string, string])[]) {
  const record = headerRecord(headers);
  const rows: TrafficDetail['requestPairs'] = [];
  const covered = new Set<string>();
  for (const entry of DUAL_HEADERS) {
    const stackValue = record[entry.old] ?? null;
    const hexclaveValue = entry.new ? (record[entry.new] ?? null) : null;
    if (stackValue === null && hexclaveValue === null) continue;
    covered.add(entry.old);
    if (entry.new) covered.add(entry.new);
    rows.push({
      entryId: entry.id,
      stackName: entry.old,
      stackValue: stackValue === null ? null : redactHeader(entry.old, stackValue),
      hexclaveName: entry.new,
      hexclaveValue: hexclaveValue === null || !entry.new ? null : redactHeader(entry.new, hexclaveValue),
      differs: stackValue !== null && hexclaveValue !== null && stackValue !== hexclaveValue,
    });
  }
  return rows;
}

function cookieRows(item: TrafficItem): TrafficDetail['cookies'] {
  const sent = (headerRecord(item.exchange.request.headers).cookie ?? item.exchange.cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      return { name: part.slice(0, eq === -1 ? part.length : eq), direction: 'sent' as const };
    });
  const set = parseSetCookies(setCookieLines(item)).map((c) => ({ name: c.name, direction: 'set' as const }));
  // Cookie values carry sessions: shown only as redacted lengths, like the HAR export.
  return [...sent, ...set].map((c) => ({ ...c, value: '(redacted)', twin: cookieTwinName(c.name) }));
}

export interface DetailContext {
  readonly projectId: string | null;
  readonly apiBaseUrls: readonly string[];
  readonly jwks: JsonWebKeySet | null;
  readonly now?: number;
}

async function decodeTokens(item: TrafficItem, context: DetailContext): Promise<TrafficDetail['tokens']> {
  const now = context.now ?? Date.now();
  return Promise.all(
    tokensIn(item.exchange).map(async (found) => {
      let header: Record<string, unknown> = {};
      let claims: Record<string, unknown> = {};
      try {
        header = decodeProtectedHeader(found.token) as Record<string, unknown>;
        claims = decodeJwt(found.token) as Record<string, unknown>;
      } catch {
        return {
          where: found.where,
          header,
          claims,
          signature: 'invalid' as const,
          signatureDetail: 'Not a JWT: it does not decode.',
          issuerVerdict: 'unknown',
          expiresInSec: null,
          skewWarning: null,
        };
      }
      // The one signature verdict of the rules engine: a stripped signature or a missing key set is "not checked".
      const verdict = await verifySignature(found.token, context.jwks);
      const signature = verdict.status;
      const signatureDetail = verdict.detail;
      const iss = typeof claims.iss === 'string' ? claims.iss : '';
      const issuer = context.projectId ? checkIssuer(iss, context.projectId, context.apiBaseUrls) : null;
      const times = explainTimes(claims, Math.floor(now / 1000));
      return {
        where: found.where,
        header,
        claims,
        signature,
        signatureDetail,
        issuerVerdict:
          issuer === null
            ? 'unknown project'
            : issuer.ok
              ? `accepted (${issuer.kind} user, ${
                  issuer.host === 'other'
                    ? `signed with origin ${issuer.origin}`
                    : issuer.host === 'custom'
                      ? 'this backend'
                      : `the ${issuer.host} domain`
                })`
              : issuer.reason,
        expiresInSec: times.secondsUntilExpiry,
        skewWarning:
          times.skewSeconds !== null && Math.abs(times.skewSeconds) > CLOCK_TOLERANCE_SEC
            ? times.explanation
            : null,
      };
    }),
  );
}

/** The full exchange for the detail pane: header pairs, cookies with twins, decoded tokens, findings, cURL. */
export async function toDetail(item: TrafficItem, context: DetailContext): Promise<TrafficDetail> {
  const { exchange } = item;
  const requestType = headerRecord(exchange.request.headers)['content-type'] ?? '';
  const responseType = headerRecord(exchange.response?.headers ?? [])['content-type'] ?? '';
  const redactPairs = (pairs: readonly (readonly [string, string])[]) =>
    pairs.map(([n, v]) => [n, redactHeader(n, v)] as [string, string]);
  return {
    ...toSummary(item),
    requestHeaders: redactPairs(exchange.request.headers),
    responseHeaders: redactPairs(exchange.response?.headers ?? []),
    requestPairs: pairRows(exchange.request.headers),
    responsePairs: pairRows(exchange.response?.headers ?? []),
    requestBody: exchange.request.body ? redactBody(exchange.request.body, requestType) : null,
    responseBody: exchange.response?.body ? redactBody(exchange.response.body, responseType) : null,
    cookies: cookieRows(item),
    tokens: await decodeTokens(item, context),
    findings: item.findings.map((f) => ({ ...f })) as TrafficDetail['findings'],
    pageUrl: item.pageUrl,
    ...curlFields(item),
    sightings: item.sightings.map((s) => ({
      source: s.source,
      pageUrl: s.pageUrl,
      findingCount: s.findings.length,
      worst: worstSeverity(s.findings),
    })),
  };
}

function curlFields(item: TrafficItem): Pick<TrafficDetail, 'curl' | 'curlNeeds'> {
  const { command, needs } = curlCommand(item.exchange);
  return { curl: command, curlNeeds: [...needs] };
}
