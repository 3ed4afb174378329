import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  allRequestHeaderNames,
  allResponseHeaderNames,
  corsAllowedRequestHeaders,
  dualResponseHeaderNames,
  requestHeaderName,
} from '../../../shared/registry/index.js';
import { apiFetch, apiHeaders, setupTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

const REQUEST_ID = /^[0-9a-hjkmnp-tv-z]{16}$/;
const [STACK_REQUEST_ID, HEXCLAVE_REQUEST_ID] = dualResponseHeaderNames('header.request-id');
const [STACK_KNOWN_ERROR, HEXCLAVE_KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');
const [STACK_ACTUAL_STATUS, HEXCLAVE_ACTUAL_STATUS] = dualResponseHeaderNames('header.actual-status');

async function knownError(response: Response) {
  const text = await response.text();
  return { text, body: JSON.parse(text) as { code: string; error: string; details?: unknown } };
}

describe('dual mode wire', () => {
  const emulator = setupTestEmulator({ compat: 'dual' });

  it('stamps every API response with one request id under both names', async () => {
    const ids = new Set<string>();
    for (const path of ['/projects/current', '/users/me', '/nope']) {
      const response = await apiFetch(emulator(), path);
      const id = response.headers.get(STACK_REQUEST_ID)!;
      expect(id).toMatch(REQUEST_ID);
      expect(response.headers.get(HEXCLAVE_REQUEST_ID)).toBe(id);
      ids.add(id);
    }
    expect(ids.size).toBe(3);
  });

  it('answers known errors with upstream’s body (code, details, error; 2-space indent) and both headers', async () => {
    const response = await apiFetch(emulator(), '/users', { access: 'client' });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get(STACK_KNOWN_ERROR)).toBe('INSUFFICIENT_ACCESS_TYPE');
    expect(response.headers.get(HEXCLAVE_KNOWN_ERROR)).toBe('INSUFFICIENT_ACCESS_TYPE');
    const { text, body } = await knownError(response);
    expect(Object.keys(body)).toEqual(['code', 'details', 'error']);
    expect(text).toBe(JSON.stringify(body, null, 2));
    expect(body.details).toEqual({ actual_access_type: 'client', allowed_access_types: ['server', 'admin'] });
  });

  it('turns a 4xx into 200 + actual-status when either family asks, and not otherwise', async () => {
    for (const family of ['stack', 'hexclave'] as const) {
      const response = await apiFetch(emulator(), '/users/me', { family, overrideErrorStatus: true });
      expect(response.status).toBe(200);
      expect(response.headers.get(STACK_ACTUAL_STATUS)).toBe('400');
      expect(response.headers.get(HEXCLAVE_ACTUAL_STATUS)).toBe('400');
      expect((await response.json()).code).toBe('CANNOT_GET_OWN_USER_WITHOUT_USER');
    }
    const plain = await apiFetch(emulator(), '/users/me');
    expect(plain.status).toBe(400);
    expect(plain.headers.get(STACK_ACTUAL_STATUS)).toBeNull();
  });

  it('normalizes x-hexclave-* onto x-stack-* (hexclave wins a conflict, mixed sets work)', async () => {
    const headers = {
      ...apiHeaders(emulator(), { family: 'stack', access: 'server' }),
      [requestHeaderName('header.secret-server-key', 'hexclave')]: emulator().secretServerKey,
      [requestHeaderName('header.secret-server-key', 'stack')]: 'ssk_wrong',
    };
    expect((await fetch(`${emulator().apiUrl}/api/v1/users`, { headers })).status).toBe(200);
  });

  it('allows and exposes both families in CORS, from the registry', async () => {
    const response = await fetch(`${emulator().apiUrl}/api/v1/users/me`, { method: 'OPTIONS' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    const allowed = response.headers.get('access-control-allow-headers')!.split(', ');
    for (const name of allRequestHeaderNames()) expect(allowed).toContain(name);
    expect(response.headers.get('vary')).toBe(response.headers.get('access-control-allow-headers'));
    expect(response.headers.get(STACK_REQUEST_ID)).toBeNull();
    const get = await apiFetch(emulator(), '/projects/current');
    const exposed = get.headers.get('access-control-expose-headers')!.split(', ');
    expect(exposed).toEqual(['content-type', ...allResponseHeaderNames()]);
  });

  it('serves /health with wildcard CORS and no request id', async () => {
    const response = await fetch(`${emulator().apiUrl}/health?db=1`);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('access-control-allow-headers')).toBe('*');
    expect(response.headers.get(STACK_REQUEST_ID)).toBeNull();
  });

  it('rejects an unknown body type and malformed JSON as upstream’s BODY_PARSING_ERROR', async () => {
    const headers = apiHeaders(emulator());
    for (const [type, body] of [
      ['application/xml', '<a/>'],
      ['application/json', '{nope'],
    ]) {
      const response = await fetch(`${emulator().apiUrl}/api/v1/auth/password/sign-in`, {
        method: 'POST',
        headers: { ...headers, 'content-type': type! },
        body,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get(STACK_KNOWN_ERROR)).toBe('BODY_PARSING_ERROR');
    }
  });

  it('reports validation failures as SCHEMA_ERROR naming the field', async () => {
    const response = await apiFetch(emulator(), '/auth/password/sign-up', {
      method: 'POST',
      body: { email: 'not-an-email', password: 'x' },
    });
    const { body } = await knownError(response);
    expect(body.code).toBe('SCHEMA_ERROR');
    expect(body.error).toContain('Request validation failed on POST /api/v1/auth/password/sign-up');
    expect(body.error).toContain('body.email');
    expect(body.details).toEqual({ message: body.error });
  });
});

/** Each smart-request check of upstream's parseAuth, in order (stack-protocol.md §1.3). */
describe('request authentication errors', () => {
  const emulator = setupTestEmulator({ compat: 'dual' });
  const name = (id: string) => requestHeaderName(`header.${id}`, 'stack');
  const call = async (headers: Record<string, string>, path = '/users/me') => {
    const response = await fetch(`${emulator().apiUrl}/api/v1${path}`, { headers });
    return { status: response.status, code: response.headers.get(STACK_KNOWN_ERROR) };
  };
  const base = () => ({ [name('project-id')]: emulator().projectId });

  it.each([
    [
      'a key without an access type',
      () => ({ [name('publishable-client-key')]: 'pck_x' }),
      400,
      'PROJECT_KEY_WITHOUT_ACCESS_TYPE',
    ],
    ['no access type at all', () => ({}), 400, 'ACCESS_TYPE_REQUIRED'],
    [
      'an unknown access type',
      () => ({ ...base(), [name('access-type')]: 'root' }),
      400,
      'INVALID_ACCESS_TYPE',
    ],
    [
      'an access type without project',
      () => ({ [name('access-type')]: 'client' }),
      400,
      'ACCESS_TYPE_WITHOUT_PROJECT_ID',
    ],
    [
      'an unknown project',
      () => ({
        [name('project-id')]: '00000000-0000-4000-8000-000000000000',
        [name('access-type')]: 'server',
        [name('secret-server-key')]: 'ssk_x',
      }),
      400,
      'CURRENT_PROJECT_NOT_FOUND',
    ],
    [
      'a client without a publishable key',
      () => ({ ...base(), [name('access-type')]: 'client' }),
      401,
      'PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT',
    ],
    [
      'a wrong publishable key',
      () => ({ ...base(), [name('access-type')]: 'client', [name('publishable-client-key')]: 'pck_wrong' }),
      401,
      'INVALID_PUBLISHABLE_CLIENT_KEY',
    ],
    [
      'a server without a key',
      () => ({ ...base(), [name('access-type')]: 'server', [name('secret-server-key')]: '' }),
      401,
      'SERVER_AUTHENTICATION_REQUIRED',
    ],
    [
      'a wrong server key',
      () => ({ ...base(), [name('access-type')]: 'server', [name('secret-server-key')]: 'ssk_wrong' }),
      401,
      'INVALID_SECRET_SERVER_KEY',
    ],
    [
      'an admin without a key',
      () => ({ ...base(), [name('access-type')]: 'admin' }),
      401,
      'ADMIN_AUTHENTICATION_REQUIRED',
    ],
    [
      'a wrong admin key',
      () => ({ ...base(), [name('access-type')]: 'admin', [name('super-secret-admin-key')]: 'sak_wrong' }),
      401,
      'INVALID_SUPER_SECRET_ADMIN_KEY',
    ],
    [
      'an unknown branch',
      () => ({ ...apiHeaders(emulator()), [name('branch-id')]: 'feature-x' }),
      400,
      'BRANCH_DOES_NOT_EXIST',
    ],
    [
      'a garbage access token',
      () => apiHeaders(emulator(), { accessToken: 'not.a.jwt' }),
      401,
      'UNPARSABLE_ACCESS_TOKEN',
    ],
  ])('%s → %s %s', async (_label, headers, status, code) => {
    expect(await call(headers())).toEqual({ status, code });
  });

  it('accepts the public-client sentinel only where no key is required', async () => {
    const headers = {
      ...base(),
      [name('access-type')]: 'client',
      [name('publishable-client-key')]: '__stack_public_client__',
    };
    expect(await call(headers)).toEqual({ status: 401, code: 'PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT' });
  });
});

describe('legacy mode wire', () => {
  const emulator = setupTestEmulator({ compat: 'legacy' });

  it('emits only stack names', async () => {
    const response = await apiFetch(emulator(), '/users/me', { overrideErrorStatus: true });
    expect(response.status).toBe(200);
    expect(response.headers.get(STACK_REQUEST_ID)).toMatch(REQUEST_ID);
    expect(response.headers.get(STACK_KNOWN_ERROR)).toBe('CANNOT_GET_OWN_USER_WITHOUT_USER');
    expect(response.headers.get(STACK_ACTUAL_STATUS)).toBe('400');
    for (const name of [HEXCLAVE_REQUEST_ID, HEXCLAVE_KNOWN_ERROR, HEXCLAVE_ACTUAL_STATUS]) {
      expect(response.headers.get(name!)).toBeNull();
    }
  });

  it('treats a request with only x-hexclave-* headers as having none: no access type, no override', async () => {
    const response = await apiFetch(emulator(), '/users/me', {
      family: 'hexclave',
      overrideErrorStatus: true,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get(STACK_KNOWN_ERROR)).toBe('ACCESS_TYPE_REQUIRED');
  });

  it('has exactly today’s upstream CORS lists', async () => {
    const response = await fetch(`${emulator().apiUrl}/api/v1/users`, { method: 'OPTIONS' });
    expect(response.headers.get('access-control-allow-headers')).toBe(
      corsAllowedRequestHeaders('legacy').join(', '),
    );
    // The oracle is upstream's proxy.tsx list as stack-protocol.md §3 quotes it, independent of the registry.
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'content-type, authorization, x-stack-project-id, x-stack-branch-id, x-stack-override-error-status, x-stack-random-nonce, x-stack-client-version, x-stack-disable-artificial-development-delay, x-stack-access-type, x-stack-publishable-client-key, x-stack-secret-server-key, x-stack-super-secret-admin-key, x-stack-admin-access-token, x-stack-refresh-token, x-stack-access-token, x-stack-allow-anonymous-user, baggage, sentry-trace, x-vercel-protection-bypass, ngrok-skip-browser-warning',
    );
    expect(response.headers.get('access-control-expose-headers')).toBe(
      'content-type, x-stack-actual-status, x-stack-known-error',
    );
  });
});

describe('server errors', () => {
  const emulator = setupTestEmulator({ compat: 'dual' });

  async function breakDatabase(target: TestEmulator) {
    const client = new pg.Client({ connectionString: target.internalDatabaseUrl });
    await client.connect();
    await client.query('ALTER TABLE "ApiKeySet" RENAME TO "ApiKeySetGone"');
    await client.end();
  }

  it('never rewrites a 5xx, and answers it in plain text with the request id', async () => {
    await breakDatabase(emulator());
    const response = await apiFetch(emulator(), '/projects/current', { overrideErrorStatus: true });
    expect(response.status).toBe(500);
    expect(response.headers.get(STACK_ACTUAL_STATUS)).toBeNull();
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toContain(`Request ID: ${response.headers.get(STACK_REQUEST_ID)}`);
  });
});
