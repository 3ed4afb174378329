import {
  BearerParseError,
  identifier,
  normalizeRequestHeaders,
  parseBearer,
  parseCookieName,
} from '../../registry/index.js';
import {
  headerRecord,
  headerValue,
  isRecord,
  jsonBody,
  requestLine,
  safeUrl,
  sentCookiesOf,
} from '../exchange.js';
import { finding, identifierRef, missingNewSeverity, shown } from '../finding.js';
import type { CheckContext, Exchange, Finding } from '../types.js';

const KNOWN_ERROR = identifier('header.known-error');
const RESPONSE_MODE = identifier('param.response-mode');
const BEARER = identifier('bearer.prefix');

/**
 * Known errors a backend answers when it did not see a request header (smart-request.tsx parseAuth), mapped to
 * the registry entry of that header. Seen after a hexclave-only request, they mean the hexclave name was ignored.
 */
const ERROR_MEANS_HEADER_UNSEEN: Record<string, string> = {
  ACCESS_TYPE_REQUIRED: 'header.access-type',
  ACCESS_TYPE_WITHOUT_PROJECT_ID: 'header.project-id',
  PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT: 'header.publishable-client-key',
  SERVER_AUTHENTICATION_REQUIRED: 'header.secret-server-key',
  ADMIN_AUTHENTICATION_REQUIRED: 'header.super-secret-admin-key',
  CANNOT_GET_OWN_USER_WITHOUT_USER: 'header.access-token',
  ANONYMOUS_AUTHENTICATION_NOT_ALLOWED: 'header.allow-anonymous-user',
};

const FAMILY_WORDS = {
  old: 'an old SDK (stack names only)',
  new: 'a new SDK (hexclave names only)',
  mixed: 'a mixed client (both header families)',
} as const;

function knownErrorCode(exchange: Exchange): string | undefined {
  const headers = headerRecord(exchange.response?.headers ?? []);
  const header = headers[KNOWN_ERROR.new!] ?? headers[KNOWN_ERROR.old];
  if (header) return header;
  const body = jsonBody(exchange.response?.body);
  return isRecord(body) && typeof body.code === 'string' ? body.code : undefined;
}

/** Which family the client sent, conflicting values between families, and hexclave names a backend ignored. */
export function checkClientHeaders(exchange: Exchange, ctx: CheckContext): Finding[] {
  const normalized = normalizeRequestHeaders(
    Object.fromEntries(exchange.request.headers.map(([n, v]) => [n, v])),
  );
  const out: Finding[] = [];
  const line = requestLine(exchange);
  if (normalized.family !== 'none') {
    const version =
      headerValue(exchange.request.headers, identifier('header.client-version').new!) ??
      headerValue(exchange.request.headers, identifier('header.client-version').old);
    out.push(
      finding(
        'client.family',
        {
          severity: 'info',
          identifier: null,
          message: `Sent by ${FAMILY_WORDS[normalized.family]}${version ? ` (${version})` : ''}.`,
          expected: 'old, new or mixed',
          actual: normalized.family,
          evidence: `${line}; stack names: ${normalized.stackNamesSent.length}, hexclave names: ${normalized.hexclaveNamesSent.length}`,
        },
        exchange.id,
      ),
    );
  }
  for (const conflict of normalized.conflicts) {
    const entry = identifier(conflict.entryId);
    out.push(
      finding(
        'client.conflicting-values',
        {
          severity: 'error',
          identifier: identifierRef(entry),
          message: `${conflict.stackName} and ${conflict.hexclaveName} carry different values; a dual backend uses the hexclave one, a legacy backend the stack one.`,
          expected: 'equal values in both families',
          actual: `${shown(conflict.stackValue, entry.secret)} vs ${shown(conflict.hexclaveValue, entry.secret)}`,
          evidence: line,
        },
        exchange.id,
      ),
    );
  }
  const code = knownErrorCode(exchange);
  const unseenId = code ? ERROR_MEANS_HEADER_UNSEEN[code] : undefined;
  if (normalized.family === 'new' && unseenId) {
    const entry = identifier(unseenId);
    if (normalized.hexclaveNamesSent.includes(entry.new!)) {
      out.push(
        finding(
          'client.new-headers-ignored',
          {
            severity: missingNewSeverity(ctx.expectedMode),
            identifier: identifierRef(entry, [entry.new!]),
            message: `The backend answered ${code} although the request sent ${entry.new}: it ignores ${entry.new}.`,
            expected: `${entry.new} accepted like ${entry.old}`,
            actual: `known error ${code}`,
            evidence: line,
          },
          exchange.id,
        ),
      );
    }
  }
  return out;
}

/** The one query parameter the backend parses: hexclave_response_mode=json must give JSON, not a redirect. */
export function checkQueryParams(exchange: Exchange, ctx: CheckContext): Finding[] {
  const url = safeUrl(exchange.request.url);
  const response = exchange.response;
  if (!url || !response) return [];
  const newValue = url.searchParams.get(RESPONSE_MODE.new!);
  const oldValue = url.searchParams.get(RESPONSE_MODE.old);
  if (newValue !== 'json' || oldValue !== null) return [];
  if (response.status < 300 || response.status > 399) return [];
  return [
    finding(
      'query-param.ignored',
      {
        severity: missingNewSeverity(ctx.expectedMode),
        identifier: identifierRef(RESPONSE_MODE, [RESPONSE_MODE.new!]),
        message: `The request asked for ${RESPONSE_MODE.new}=json but got a ${response.status} redirect: the backend ignores ${RESPONSE_MODE.new}.`,
        expected: 'HTTP 200 with {"location": …}',
        actual: `HTTP ${response.status} to ${shown(headerValue(response.headers, 'location') ?? null)}`,
        evidence: requestLine(exchange),
      },
      exchange.id,
    ),
  ];
}

/** Hazards visible on a single request to the developer's own server (docs/sdk-as-shipped.md §14.6). */
export function checkServerHazards(exchange: Exchange, _ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  const authorization = headerValue(exchange.request.headers, 'authorization');
  if (authorization && /^Bearer\s+/i.test(authorization)) {
    try {
      if (parseBearer(authorization).family === 'hexclave') {
        out.push(
          finding(
            'hazard.bearer-hexclave-prefix',
            {
              severity: 'warning',
              identifier: identifierRef(BEARER, [BEARER.new!]),
              message: `Authorization carries Bearer ${BEARER.new}…, which a server on @stackframe/js 2.8.102 silently ignores.`,
              expected: `Bearer ${BEARER.old}… (what 2.8.108 still emits) until every server runs 2.8.108`,
              actual: `Bearer ${BEARER.new}…`,
              evidence: requestLine(exchange),
              explanation:
                'The old server treats the request as signed out without any error; only 2.8.108 parses hexclave_.',
            },
            exchange.id,
          ),
        );
      }
    } catch (error) {
      if (!(error instanceof BearerParseError)) throw error;
    }
  }
  const refreshFamilies = new Set(
    [...sentCookiesOf(exchange).keys()]
      .map((name) => parseCookieName(name))
      .filter(
        (p) => p !== null && identifier(p.entryId).category === 'cookie' && p.kind.startsWith('refresh'),
      )
      .map((p) => p!.family),
  );
  if (refreshFamilies.has('hexclave') && !refreshFamilies.has('stack')) {
    const entry = identifier('cookie.refresh-default');
    out.push(
      finding(
        'hazard.server-cookies-new-only',
        {
          severity: 'warning',
          identifier: identifierRef(entry),
          message: 'The browser sent its session only as hexclave-refresh-* cookies.',
          expected: 'a server on @stackframe/js 2.8.108 (reads both families)',
          actual: 'no stack-refresh-* cookie in the request',
          evidence: requestLine(exchange),
          explanation:
            'A server still on 2.8.102 reads stack-* cookies only, so server-side getUser() returns null for a signed-in user.',
        },
        exchange.id,
      ),
    );
  }
  return out;
}
