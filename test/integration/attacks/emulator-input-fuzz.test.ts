import { describe, expect, it } from 'vitest';
import { createEmulatorApp } from '../../../main/emulator/app.js';
import type { EmulatorContext } from '../../../main/emulator/context.js';
import { apiHeaders, setupTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

/**
 * Attack (issue 12 item 8): values Postgres cannot store — a NUL character, an over-long display name, bytes that
 * are not UTF-8, JSON nested thousands deep — in every body field of every route that takes a body, in both compat
 * modes. Each is a 4xx with upstream's error codes (SCHEMA_ERROR, BODY_PARSING_ERROR), never a 500.
 */

type Access = 'client' | 'server' | 'admin' | 'user';
interface Route {
  readonly method: 'POST' | 'PATCH' | 'PUT';
  /** As registered (for the completeness check), and the concrete path to call. */
  readonly pattern: string;
  readonly path: (ids: Ids) => string;
  readonly access: Access;
  readonly form?: boolean;
  readonly body: (ids: Ids) => Record<string, unknown>;
}

interface Ids {
  readonly userId: string;
  readonly channelId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

const unique = () => `fuzz-${crypto.randomUUID().slice(0, 8)}`;

const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    pattern: '/analytics/events/batch',
    path: () => '/analytics/events/batch',
    access: 'client',
    body: () => ({ batch_id: 'b', sent_at_ms: 1, events: [{ event_type: '$page-view', data: {} }] }),
  },
  {
    method: 'POST',
    pattern: '/users',
    path: () => '/users',
    access: 'server',
    body: () => ({
      primary_email: `${unique()}@example.com`,
      primary_email_auth_enabled: true,
      display_name: 'Fuzz',
      profile_image_url: 'https://example.com/a.png',
      client_metadata: { a: 1 },
      client_read_only_metadata: { b: 2 },
      server_metadata: { c: 3 },
      password: 'long-enough-password',
      country_code: 'DE',
      restricted_by_admin_reason: 'r',
    }),
  },
  {
    method: 'PATCH',
    pattern: '/users/:userId',
    path: (ids) => `/users/${ids.userId}`,
    access: 'server',
    body: () => ({
      display_name: 'Fuzz',
      client_metadata: { a: 1 },
      server_metadata: { c: 3 },
      primary_email: `${unique()}@example.com`,
      restricted_by_admin_private_details: 'd',
    }),
  },
  {
    method: 'PATCH',
    pattern: '/users/me',
    path: () => '/users/me',
    access: 'user',
    body: () => ({ display_name: 'Me', client_metadata: { a: 1 }, profile_image_url: 'https://e.com/x.png' }),
  },
  {
    method: 'POST',
    pattern: '/auth/password/sign-up',
    path: () => '/auth/password/sign-up',
    access: 'client',
    body: () => ({
      email: `${unique()}@example.com`,
      password: 'long-enough-password',
      verification_callback_url: 'http://localhost:3000/verify',
    }),
  },
  {
    method: 'POST',
    pattern: '/auth/password/sign-in',
    path: () => '/auth/password/sign-in',
    access: 'client',
    body: () => ({ email: 'nobody@example.com', password: 'long-enough-password' }),
  },
  {
    method: 'POST',
    pattern: '/auth/mfa/sign-in',
    path: () => '/auth/mfa/sign-in',
    access: 'client',
    body: () => ({ type: 'totp', totp: '123456', code: 'no-such-attempt-code' }),
  },
  {
    method: 'POST',
    pattern: '/connected-accounts/:userId/:providerId/access-token',
    path: () => '/connected-accounts/me/github/access-token',
    access: 'user',
    body: () => ({ scope: 'read:user' }),
  },
  {
    method: 'POST',
    pattern: '/connected-accounts/:userId/:providerId/:providerAccountId/access-token',
    path: () => '/connected-accounts/me/github/no-such-account/access-token',
    access: 'user',
    body: () => ({ scope: 'read:user' }),
  },
  {
    method: 'POST',
    pattern: '/teams',
    path: () => `/teams`,
    access: 'server',
    body: () => ({ display_name: 'Fuzz team', creator_user_id: 'me', client_metadata: { a: 1 } }),
  },
  {
    method: 'PATCH',
    pattern: '/teams/:teamId',
    path: () => `/teams/00000000-0000-4000-8000-000000000001`,
    access: 'server',
    body: () => ({ display_name: 'Renamed', server_metadata: { c: 3 } }),
  },
  {
    method: 'POST',
    pattern: '/team-memberships/:teamId/:userId',
    path: (ids) => `/team-memberships/00000000-0000-4000-8000-000000000001/${ids.userId}`,
    access: 'server',
    body: () => ({}),
  },
  {
    method: 'PATCH',
    pattern: '/team-member-profiles/:teamId/:userId',
    path: (ids) => `/team-member-profiles/00000000-0000-4000-8000-000000000001/${ids.userId}`,
    access: 'server',
    body: () => ({ display_name: 'Member' }),
  },
  {
    method: 'POST',
    pattern: '/team-invitations/send-code',
    path: () => `/team-invitations/send-code`,
    access: 'server',
    body: () => ({
      team_id: '00000000-0000-4000-8000-000000000001',
      email: `${unique()}@example.com`,
      callback_url: 'http://localhost:3000/invite',
    }),
  },
  {
    method: 'POST',
    pattern: '/team-invitations/:id/accept',
    path: () => `/team-invitations/00000000-0000-4000-8000-000000000001/accept`,
    access: 'user',
    body: () => ({}),
  },
  {
    method: 'POST',
    pattern: '/team-invitations/accept/check-code',
    path: () => `/team-invitations/accept/check-code`,
    access: 'user',
    body: () => ({ code: 'no-such-code' }),
  },
  {
    method: 'POST',
    pattern: '/team-invitations/accept/details',
    path: () => `/team-invitations/accept/details`,
    access: 'user',
    body: () => ({ code: 'no-such-code' }),
  },
  {
    method: 'POST',
    pattern: '/team-invitations/accept',
    path: () => `/team-invitations/accept`,
    access: 'user',
    body: () => ({ code: 'no-such-code' }),
  },
  {
    method: 'POST',
    pattern: '/team-permissions/:teamId/:userId/:permissionId',
    path: (ids) => `/team-permissions/00000000-0000-4000-8000-000000000001/${ids.userId}/team_member`,
    access: 'server',
    body: () => ({}),
  },
  {
    method: 'POST',
    pattern: '/project-permissions/:userId/:permissionId',
    path: (ids) => `/project-permissions/${ids.userId}/fuzz_permission`,
    access: 'server',
    body: () => ({}),
  },
  {
    method: 'POST',
    pattern: '/team-permission-definitions',
    path: () => `/team-permission-definitions`,
    access: 'admin',
    body: () => ({
      id: `fuzz_${crypto.randomUUID().slice(0, 8)}`,
      description: 'd',
      contained_permission_ids: [],
    }),
  },
  {
    method: 'PATCH',
    pattern: '/team-permission-definitions/:permissionId',
    path: () => `/team-permission-definitions/team_member`,
    access: 'admin',
    body: () => ({ description: 'd' }),
  },
  {
    method: 'POST',
    pattern: '/project-permission-definitions',
    path: () => `/project-permission-definitions`,
    access: 'admin',
    body: () => ({
      id: `fuzz_${crypto.randomUUID().slice(0, 8)}`,
      description: 'd',
      contained_permission_ids: [],
    }),
  },
  {
    method: 'PATCH',
    pattern: '/project-permission-definitions/:permissionId',
    path: () => `/project-permission-definitions/fuzz_permission`,
    access: 'admin',
    body: () => ({ description: 'd' }),
  },
  {
    method: 'POST',
    pattern: '/auth/password/send-reset-code',
    path: () => '/auth/password/send-reset-code',
    access: 'client',
    body: () => ({ email: `${unique()}@example.com`, callback_url: 'http://localhost:3000/handler' }),
  },
  {
    method: 'POST',
    pattern: '/auth/password/reset',
    path: () => '/auth/password/reset',
    access: 'client',
    body: () => ({ code: 'a'.repeat(45), password: 'long-enough-password' }),
  },
  {
    method: 'POST',
    pattern: '/auth/password/reset/check-code',
    path: () => '/auth/password/reset/check-code',
    access: 'client',
    body: () => ({ code: 'a'.repeat(45) }),
  },
  {
    method: 'POST',
    pattern: '/auth/password/set',
    path: () => '/auth/password/set',
    access: 'user',
    body: () => ({ password: 'long-enough-password' }),
  },
  {
    method: 'POST',
    pattern: '/auth/password/update',
    path: () => '/auth/password/update',
    access: 'user',
    body: () => ({ old_password: 'long-enough-password', new_password: 'another-long-password' }),
  },
  {
    method: 'POST',
    pattern: '/auth/otp/send-sign-in-code',
    path: () => '/auth/otp/send-sign-in-code',
    access: 'client',
    body: () => ({ email: `${unique()}@example.com`, callback_url: 'http://localhost:3000/handler' }),
  },
  {
    method: 'POST',
    pattern: '/auth/otp/sign-in',
    path: () => '/auth/otp/sign-in',
    access: 'client',
    body: () => ({ code: 'a'.repeat(45) }),
  },
  {
    method: 'POST',
    pattern: '/auth/otp/sign-in/check-code',
    path: () => '/auth/otp/sign-in/check-code',
    access: 'client',
    body: () => ({ code: 'a'.repeat(45) }),
  },
  {
    method: 'POST',
    pattern: '/contact-channels/send-verification-code',
    path: () => '/contact-channels/send-verification-code',
    access: 'user',
    body: () => ({ email: `${unique()}@example.com`, callback_url: 'http://localhost:3000/handler' }),
  },
  {
    method: 'POST',
    pattern: '/contact-channels/verify',
    path: () => '/contact-channels/verify',
    access: 'client',
    body: () => ({ code: 'a'.repeat(45) }),
  },
  {
    method: 'POST',
    pattern: '/contact-channels/verify/check-code',
    path: () => '/contact-channels/verify/check-code',
    access: 'client',
    body: () => ({ code: 'a'.repeat(45) }),
  },
  {
    method: 'POST',
    pattern: '/contact-channels/:userId/:channelId/send-verification-code',
    path: (ids) => `/contact-channels/me/${ids.channelId}/send-verification-code`,
    access: 'user',
    body: () => ({ callback_url: 'http://localhost:3000/handler' }),
  },
  {
    method: 'POST',
    pattern: '/auth/anonymous/sign-up',
    path: () => '/auth/anonymous/sign-up',
    access: 'client',
    body: () => ({}),
  },
  {
    method: 'POST',
    pattern: '/auth/sessions/current/refresh',
    path: () => '/auth/sessions/current/refresh',
    access: 'user',
    body: () => ({}),
  },
  {
    method: 'POST',
    pattern: '/contact-channels',
    path: () => '/contact-channels',
    access: 'server',
    body: (ids) => ({
      user_id: ids.userId,
      type: 'email',
      value: `${unique()}@example.com`,
      used_for_auth: false,
      is_verified: false,
    }),
  },
  {
    method: 'PATCH',
    pattern: '/contact-channels/:userId/:channelId',
    path: (ids) => `/contact-channels/${ids.userId}/${ids.channelId}`,
    access: 'server',
    body: () => ({ value: `${unique()}@example.com`, is_verified: true }),
  },
  {
    method: 'POST',
    pattern: '/auth/oauth/token',
    path: () => '/auth/oauth/token',
    access: 'client',
    form: true,
    body: (ids) => ({
      grant_type: 'refresh_token',
      refresh_token: ids.refreshToken,
      client_id: 'x',
      client_secret: 'y',
    }),
  },
  {
    method: 'POST',
    pattern: '/auth/sessions',
    path: () => '/auth/sessions',
    access: 'server',
    body: (ids) => ({ user_id: ids.userId, expires_in_millis: 60_000 }),
  },
  // The internal (dashboard) API: the wire refuses what Postgres cannot store before it even checks the admin key.
  {
    method: 'POST',
    pattern: '/internal/projects',
    path: () => '/internal/projects',
    access: 'admin',
    body: () => ({ display_name: 'Fuzz project', description: 'd' }),
  },
  {
    method: 'PATCH',
    pattern: '/internal/projects/current',
    path: () => '/internal/projects/current',
    access: 'admin',
    body: () => ({ display_name: 'Fuzz project', description: 'd' }),
  },
  {
    method: 'POST',
    pattern: '/webhooks/svix-token',
    path: () => '/webhooks/svix-token',
    access: 'admin',
    body: () => ({}),
  },
  {
    method: 'POST',
    pattern: '/internal/api-keys',
    path: () => '/internal/api-keys',
    access: 'admin',
    body: () => ({
      description: 'fuzz',
      expires_at_millis: Date.now() + 60_000,
      has_publishable_client_key: true,
      has_secret_server_key: true,
      has_super_secret_admin_key: false,
    }),
  },
  {
    method: 'PATCH',
    pattern: '/internal/api-keys/:keyId',
    path: () => `/internal/api-keys/${crypto.randomUUID()}`,
    access: 'admin',
    body: () => ({ description: 'fuzz', revoked: false }),
  },
  {
    method: 'PUT',
    pattern: '/internal/config/override/:level',
    path: () => '/internal/config/override/environment',
    access: 'admin',
    body: () => ({ config_override_string: '{}' }),
  },
  {
    method: 'PATCH',
    pattern: '/internal/config/override/:level',
    path: () => '/internal/config/override/environment',
    access: 'admin',
    body: () => ({ config_override_string: '{}' }),
  },
  {
    method: 'POST',
    pattern: '/internal/config/override/:level/reset-keys',
    path: () => '/internal/config/override/environment/reset-keys',
    access: 'admin',
    body: () => ({ keys: ['a'] }),
  },
  {
    method: 'POST',
    pattern: '/auth/oauth/callback/:provider',
    path: () => '/auth/oauth/callback/github',
    access: 'client',
    form: true,
    body: () => ({ code: 'c', state: 's' }),
  },
];

/** Stands for JSON nested 5,000 deep, spliced in as text (JSON.stringify itself would overflow the stack). */
const DEEP = '__deep_json__';
const DEEP_JSON = `${'{"n":'.repeat(5_000)}1${'}'.repeat(5_000)}`;

/** Hostile values for one field, and what each must give. */
const HOSTILE: readonly { name: string; value: unknown; expect: 'schema' | 'not-500' }[] = [
  { name: 'NUL', value: 'a\u0000b', expect: 'schema' },
  { name: 'NUL key', value: { 'k\u0000': 1 }, expect: 'schema' },
  { name: 'NUL deep in an array', value: [{ x: ['ok', 'b\u0000'] }], expect: 'schema' },
  { name: '3 kB string', value: 'x'.repeat(3_000), expect: 'not-500' },
  { name: '300 kB string', value: 'y'.repeat(300_000), expect: 'not-500' },
  { name: 'nested 5,000 deep', value: DEEP, expect: 'schema' },
  { name: 'lone surrogate', value: 'a\ud800b', expect: 'not-500' },
];

async function send(
  emulator: TestEmulator,
  route: Route,
  ids: Ids,
  body: string | ArrayBuffer,
): Promise<{ status: number; code: string | null; text: string }> {
  const headers = apiHeaders(emulator, {
    access: route.access === 'user' ? 'client' : route.access,
    family: emulator.compat === 'dual' ? 'hexclave' : 'stack',
    ...(route.access === 'user' ? { accessToken: ids.accessToken, refreshToken: ids.refreshToken } : {}),
  });
  const response = await fetch(`${emulator.apiUrl}/api/v1${route.path(ids)}`, {
    method: route.method,
    headers: {
      ...headers,
      'content-type': route.form ? 'application/x-www-form-urlencoded' : 'application/json',
    },
    body,
  });
  const text = await response.text();
  let code: string | null = null;
  try {
    code = (JSON.parse(text) as { code?: string }).code ?? null;
  } catch {
    // a text answer
  }
  return { status: response.status, code, text };
}

function encode(route: Route, body: Record<string, unknown>): string {
  if (!route.form) return JSON.stringify(body).replace(`"${DEEP}"`, DEEP_JSON);
  return new URLSearchParams(
    Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  ).toString();
}

async function prepare(emulator: TestEmulator): Promise<Ids> {
  const headers = (access: 'client' | 'server') => ({
    ...apiHeaders(emulator, { access, family: emulator.compat === 'dual' ? 'hexclave' : 'stack' }),
    'content-type': 'application/json',
  });
  const signUp = await fetch(`${emulator.apiUrl}/api/v1/auth/password/sign-up`, {
    method: 'POST',
    headers: headers('client'),
    body: JSON.stringify({ email: `${unique()}@example.com`, password: 'long-enough-password' }),
  });
  const session = (await signUp.json()) as { access_token: string; refresh_token: string; user_id: string };
  const channel = await fetch(`${emulator.apiUrl}/api/v1/contact-channels`, {
    method: 'POST',
    headers: headers('server'),
    body: JSON.stringify({
      user_id: session.user_id,
      type: 'email',
      value: `${unique()}@example.com`,
      used_for_auth: false,
    }),
  });
  const { id: channelId } = (await channel.json()) as { id: string };
  return {
    userId: session.user_id,
    channelId,
    accessToken: session.access_token,
    refreshToken: session.refresh_token,
  };
}

describe('every route with a body is fuzzed', () => {
  it('covers every POST, PATCH and PUT route the emulator registers', () => {
    const app = createEmulatorApp({ compat: 'dual', log: () => {} } as unknown as EmulatorContext);
    const registered = app.routes
      .filter((r) => ['POST', 'PATCH', 'PUT'].includes(r.method))
      .map((r) => `${r.method} ${r.path.replace(/^\/api\/(v1|latest)/, '')}`);
    const fuzzed = new Set(ROUTES.map((r) => `${r.method} ${r.pattern}`));
    expect(registered.filter((r) => !fuzzed.has(r))).toEqual([]);
  });
});

for (const compat of ['dual', 'legacy'] as const) {
  describe(`${compat} emulator under hostile input`, () => {
    const emulator = setupTestEmulator({ compat, label: `fuzz_${compat}` });

    it('answers 4xx with upstream codes, never 500, for hostile values in every body field', async () => {
      const emu = emulator();
      const ids = await prepare(emu);
      const failures: string[] = [];
      let cases = 0;
      for (const route of ROUTES) {
        const sample = route.body(ids);
        const fields = Object.keys(sample).length > 0 ? Object.keys(sample) : ['extra'];
        for (const field of fields) {
          for (const hostile of HOSTILE) {
            if (route.form && (typeof hostile.value !== 'string' || hostile.value === DEEP)) continue;
            cases++;
            const result = await send(
              emu,
              route,
              ids,
              encode(route, { ...route.body(ids), [field]: hostile.value }),
            );
            const label = `${route.method} ${route.pattern} ${field}=${hostile.name} → ${result.status} ${result.code ?? result.text.slice(0, 80)}`;
            if (result.status >= 500) failures.push(label);
            else if (hostile.expect === 'schema' && (result.status !== 400 || result.code !== 'SCHEMA_ERROR'))
              failures.push(`${label} (expected 400 SCHEMA_ERROR)`);
          }
        }
        // The whole body as bytes that are not UTF-8.
        cases++;
        const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]);
        const invalid = await send(emu, route, ids, bytes.buffer as ArrayBuffer);
        if (invalid.status !== 400 || invalid.code !== 'BODY_PARSING_ERROR')
          failures.push(`${route.method} ${route.pattern} invalid UTF-8 → ${invalid.status} ${invalid.code}`);
      }
      expect(failures, `${failures.length} of ${cases} cases`).toEqual([]);
    }, 300_000);

    it('refuses a NUL in a search query and a display name over 256 characters with SCHEMA_ERROR', async () => {
      const emu = emulator();
      const family = compat === 'dual' ? 'hexclave' : 'stack';
      const search = await fetch(`${emu.apiUrl}/api/v1/users?query=${encodeURIComponent('a\u0000b')}`, {
        headers: apiHeaders(emu, { access: 'server', family }),
      });
      expect(search.status).toBe(400);
      expect(((await search.json()) as { code: string }).code).toBe('SCHEMA_ERROR');
      const long = await fetch(`${emu.apiUrl}/api/v1/users`, {
        method: 'POST',
        headers: { ...apiHeaders(emu, { access: 'server', family }), 'content-type': 'application/json' },
        body: JSON.stringify({ display_name: 'd'.repeat(2_800) }),
      });
      expect(long.status).toBe(400);
      const error = (await long.json()) as { code: string; error: string };
      expect(error.code).toBe('SCHEMA_ERROR');
      expect(error.error).toMatch(/body\.display_name/);
    });
  });
}
