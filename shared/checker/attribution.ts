import { type ClientFamily, identifier, normalizeRequestHeaders } from '../registry/index.js';
import { headerRecord, isRecord, jsonBody } from './exchange.js';
import type { Attribution, Exchange } from './types.js';

const REFRESH_HEADER = identifier('header.refresh-token');
const CLIENT_VERSION = identifier('header.client-version');
const REMEMBERED_SESSIONS = 2_000;

function formRefreshToken(exchange: Exchange): string | null {
  const type = headerRecord(exchange.request.headers)['content-type'] ?? '';
  if (!type.includes('application/x-www-form-urlencoded') || !exchange.request.body) return null;
  return new URLSearchParams(exchange.request.body).get('refresh_token');
}

export interface FamilyTracker {
  /** Which SDK family sent the exchange; remembers its session so header-less calls can be attributed. */
  attribute(exchange: Exchange): Attribution;
}

/**
 * The token refresh (`POST /auth/oauth/token`) carries no x-stack-* or x-hexclave-* header in either SDK version;
 * it is attributed to the family that was seen using the same refresh token.
 */
export function createFamilyTracker(): FamilyTracker {
  const sessions = new Map<string, ClientFamily>();
  const remember = (token: unknown, family: ClientFamily) => {
    if (typeof token !== 'string' || token === '' || family === 'none') return;
    sessions.delete(token);
    sessions.set(token, family);
    if (sessions.size > REMEMBERED_SESSIONS) sessions.delete(sessions.keys().next().value!);
  };
  return {
    attribute(exchange) {
      const headers = headerRecord(exchange.request.headers);
      const normalized = normalizeRequestHeaders(headers);
      const clientVersion = headers[CLIENT_VERSION.new!] ?? headers[CLIENT_VERSION.old] ?? null;
      let family = normalized.family;
      let source: Attribution['source'] = family === 'none' ? 'none' : 'headers';
      const formToken = formRefreshToken(exchange);
      if (family === 'none' && formToken && sessions.has(formToken)) {
        family = sessions.get(formToken)!;
        source = 'session';
      }
      remember(headers[REFRESH_HEADER.new!] ?? headers[REFRESH_HEADER.old], family);
      const body = jsonBody(exchange.response?.body);
      if (isRecord(body)) remember(body.refresh_token, family);
      return { family, source, clientVersion };
    },
  };
}
