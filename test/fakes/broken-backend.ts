/**
 * Deliberately broken backends for the checker's tests: a wrapper in front of the real emulator that corrupts
 * exactly one thing of the dual layer. A user never runs these.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { secureRandomString } from '../../shared/encoding.js';
import {
  dualResponseHeaderNames,
  identifier,
  parseCookieName,
  requestHeaderName,
} from '../../shared/registry/index.js';

export const CORRUPTIONS = [
  'request-id-mismatch',
  'known-error-one-family',
  'expose-missing-new',
  'issuer-wrong-path',
  'unpublished-signing-key',
  'cookie-twin-missing',
  'cookie-twin-different',
  'server-error-rewritten',
] as const;
export type Corruption = (typeof CORRUPTIONS)[number];

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
}

type Corrupt = (
  request: { method: string; path: string; headers: Headers },
  answer: Answer,
) => Answer | Promise<Answer>;

const [STACK_REQUEST_ID, HEXCLAVE_REQUEST_ID] = dualResponseHeaderNames('request-id');
const [STACK_KNOWN_ERROR, HEXCLAVE_KNOWN_ERROR] = dualResponseHeaderNames('known-error');
const [STACK_ACTUAL, HEXCLAVE_ACTUAL] = dualResponseHeaderNames('actual-status');
const HEXCLAVE_RESPONSE_NAMES = new Set([HEXCLAVE_REQUEST_ID, HEXCLAVE_KNOWN_ERROR, HEXCLAVE_ACTUAL]);
const INNER = identifier('cookie.oauth-inner');
export const FOREIGN_ISSUER_BASE = 'https://auth.some-fork.example';

const setHeader = (answer: Answer, name: string, value: string | null): Answer => ({
  ...answer,
  headers: [
    ...answer.headers.filter(([n]) => n.toLowerCase() !== name),
    ...(value === null ? [] : ([[name, value]] as [string, string][])),
  ],
});

const mapSetCookies = (answer: Answer, map: (line: string) => string | null): Answer => ({
  ...answer,
  headers: answer.headers.flatMap(([n, v]): [string, string][] => {
    if (n.toLowerCase() !== 'set-cookie') return [[n, v]];
    const mapped = map(v);
    return mapped === null ? [] : [[n, mapped]];
  }),
});

const isHexclaveInner = (line: string) => {
  const parsed = parseCookieName(line.slice(0, line.indexOf('=')));
  return parsed?.entryId === INNER.id && parsed.family === 'hexclave';
};

/**
 * Re-signs every issued access token with a key of its own and maps tokens back on the way in. `issuer-wrong-path`
 * also moves the issuer to a path no validator accepts (and publishes the key: only the path is wrong);
 * `unpublished-signing-key` keeps the issuer but never publishes the key (only the signature is wrong).
 */
async function resignTokens(
  kind: 'issuer-wrong-path' | 'unpublished-signing-key',
): Promise<{ corrupt: Corrupt; restore: (headers: Headers) => void }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'foreign-1', alg: 'ES256' };
  const originals = new Map<string, string>();
  const resign = async (token: string) => {
    const claims = decodeJwt(token);
    const issuer = new URL(claims.iss!);
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
      .setIssuer(
        kind === 'issuer-wrong-path'
          ? `${FOREIGN_ISSUER_BASE}${issuer.pathname.replace('/api/v1/projects', '/api/v1/tenants')}`
          : claims.iss!,
      )
      .sign(privateKey);
    originals.set(forged, token);
    return forged;
  };
  const tokenHeaders = [
    requestHeaderName('header.access-token', 'stack'),
    requestHeaderName('header.access-token', 'hexclave'),
  ];
  return {
    restore(headers) {
      for (const name of tokenHeaders) {
        const value = headers.get(name);
        if (value && originals.has(value)) headers.set(name, originals.get(value)!);
      }
    },
    async corrupt(request, answer) {
      if (request.path.includes('/.well-known/jwks.json') && kind === 'issuer-wrong-path')
        return { ...answer, body: JSON.stringify({ keys: [jwk] }) };
      if (!answer.body.includes('"access_token"')) return answer;
      const body = JSON.parse(answer.body) as Record<string, unknown>;
      if (typeof body.access_token === 'string') body.access_token = await resign(body.access_token);
      return { ...answer, body: JSON.stringify(body) };
    },
  };
}

async function corruptionFor(
  kind: Corruption,
): Promise<{ corrupt: Corrupt; restore?: (headers: Headers) => void }> {
  switch (kind) {
    case 'request-id-mismatch':
      return {
        corrupt: (_r, a) =>
          a.headers.some(([n]) => n === STACK_REQUEST_ID)
            ? setHeader(a, HEXCLAVE_REQUEST_ID, secureRandomString(80))
            : a,
      };
    case 'known-error-one-family':
      return { corrupt: (_r, a) => setHeader(a, HEXCLAVE_KNOWN_ERROR, null) };
    case 'expose-missing-new':
      return {
        corrupt: (_r, a) => ({
          ...a,
          headers: a.headers.map(([n, v]): [string, string] =>
            n.toLowerCase() === 'access-control-expose-headers'
              ? [
                  n,
                  v
                    .split(',')
                    .map((s) => s.trim())
                    .filter((s) => !HEXCLAVE_RESPONSE_NAMES.has(s.toLowerCase()))
                    .join(', '),
                ]
              : [n, v],
          ),
        }),
      };
    case 'issuer-wrong-path':
    case 'unpublished-signing-key':
      return resignTokens(kind);
    case 'cookie-twin-missing':
      return { corrupt: (_r, a) => mapSetCookies(a, (line) => (isHexclaveInner(line) ? null : line)) };
    case 'cookie-twin-different':
      return {
        corrupt: (_r, a) =>
          mapSetCookies(a, (line) =>
            isHexclaveInner(line) ? line.replace(/;\s*Path=[^;]*/i, '').concat('; Path=/api') : line,
          ),
      };
    case 'server-error-rewritten':
      // A crash on users/me, answered like a 4xx override: 200 + actual-status 500.
      return {
        corrupt: (r, a) => {
          if (!r.path.startsWith('/api/v1/users/me') || !a.headers.some(([n]) => n === STACK_ACTUAL))
            return a;
          let out = setHeader(setHeader(a, STACK_KNOWN_ERROR, null), HEXCLAVE_KNOWN_ERROR, null);
          out = setHeader(setHeader(out, STACK_ACTUAL, '500'), HEXCLAVE_ACTUAL, '500');
          return setHeader(
            { ...out, status: 200, body: 'Something went wrong.' },
            'content-type',
            'text/plain; charset=utf-8',
          );
        },
      };
  }
}

export interface BrokenBackend {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startBrokenBackend(upstream: string, kind: Corruption): Promise<BrokenBackend> {
  const { corrupt, restore } = await corruptionFor(kind);
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [n, v] of Object.entries(req.headers))
      if (v !== undefined && n !== 'host') headers.set(n, Array.isArray(v) ? v.join(', ') : v);
    restore?.(headers);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const upstreamRes = await fetch(new URL(req.url ?? '/', upstream), {
      method: req.method,
      headers,
      body,
      redirect: 'manual',
    });
    const answerHeaders: [string, string][] = [];
    for (const cookie of upstreamRes.headers.getSetCookie()) answerHeaders.push(['set-cookie', cookie]);
    upstreamRes.headers.forEach((v, n) => {
      if (
        ![
          'set-cookie',
          'content-length',
          'content-encoding',
          'transfer-encoding',
          'connection',
          'keep-alive',
        ].includes(n)
      )
        answerHeaders.push([n, v]);
    });
    const answer = await corrupt(
      { method: req.method ?? 'GET', path: req.url ?? '/', headers },
      { status: upstreamRes.status, headers: answerHeaders, body: await upstreamRes.text() },
    );
    res.writeHead(answer.status, answer.headers.flat());
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
