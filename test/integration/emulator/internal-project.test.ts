import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import type { CompatMode, RunningEmulator } from '../../../main/emulator/index.js';
import { type Family, requestHeaderName } from '../../../shared/registry/index.js';
import { setupTestEmulator } from '../../helpers/emulator.js';

/** The header family each mode is driven with: the new SDK's names in dual (normalized), stack names in legacy. */
const FAMILY: Record<CompatMode, Family> = { dual: 'hexclave', legacy: 'stack' };

interface CallOptions {
  readonly access?: 'client' | 'server' | 'admin';
  /** Default: the internal project with its keys. */
  readonly project?: { id: string; keys?: Partial<RunningEmulator['internalProject']> };
  readonly accessToken?: string;
  readonly adminAccessToken?: string;
  readonly method?: string;
  readonly body?: unknown;
  readonly allowRestricted?: boolean;
}

function caller(emulator: () => RunningEmulator, compat: CompatMode) {
  return async (path: string, options: CallOptions = {}) => {
    const name = (id: string) => requestHeaderName(`header.${id}`, FAMILY[compat]);
    const internal = emulator().internalProject;
    const project = options.project ?? { id: internal.id, keys: internal };
    const access = options.access ?? 'client';
    const headers: Record<string, string> = {
      [name('project-id')]: project.id,
      [name('access-type')]: access,
      [name('allow-anonymous-user')]: 'true',
    };
    const keys = project.keys ?? {};
    if (keys.publishableClientKey) headers[name('publishable-client-key')] = keys.publishableClientKey;
    if (access === 'server' && keys.secretServerKey)
      headers[name('secret-server-key')] = keys.secretServerKey;
    if (access === 'admin' && keys.superSecretAdminKey)
      headers[name('super-secret-admin-key')] = keys.superSecretAdminKey;
    if (options.accessToken) headers[name('access-token')] = options.accessToken;
    if (options.adminAccessToken) headers[name('admin-access-token')] = options.adminAccessToken;
    if (options.allowRestricted) headers[name('allow-restricted-user')] = 'true';
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${emulator().apiUrl}/api/v1${path}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields of upstream's answer it checks
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // plain-text answers (banner, StatusError) stay strings
    }
    return { status: response.status, body, headers: response.headers };
  };
}

describe.each(['dual', 'legacy'] as CompatMode[])('%s mode: the internal project', (compat) => {
  const emulator = setupTestEmulator({ compat });
  const call = caller(emulator, compat);

  /** A dashboard user (a user of the internal project) with a session: its access token is an admin token. */
  async function dashboardUser(email: string) {
    const created = await call('/users', { access: 'server', body: { primary_email: email } });
    expect(created.status).toBe(201);
    const session = await call('/auth/sessions', { access: 'server', body: { user_id: created.body.id } });
    expect(session.status).toBe(200);
    const me = await call('/users/me', { accessToken: session.body.access_token });
    return {
      userId: created.body.id as string,
      token: session.body.access_token as string,
      teamId: me.body.selected_team_id as string,
    };
  }

  async function ownedProject(email: string, config: Record<string, unknown> = {}) {
    const user = await dashboardUser(email);
    const created = await call('/internal/projects', {
      accessToken: user.token,
      body: { display_name: `Project of ${email}`, owner_team_id: user.teamId, config },
    });
    expect(created.status).toBe(201);
    return { ...user, projectId: created.body.id as string, created: created.body };
  }

  it('is upstream’s dashboard project, announced with its keys, answering GET /api/v1', async () => {
    const internal = emulator().internalProject;
    expect(internal.id).toBe('internal');
    expect(internal.publishableClientKey).toMatch(/^pck_/);
    const current = await call('/projects/current');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({
      id: 'internal',
      display_name: 'Stack Dashboard',
      config: {
        client_team_creation_enabled: true,
        credential_enabled: true,
        magic_link_enabled: true,
        sign_up_enabled: true,
        enabled_oauth_providers: [{ id: 'github' }, { id: 'google' }, { id: 'microsoft' }, { id: 'spotify' }],
      },
    });
    const banner = await call('');
    expect(banner.body).toBe(
      'Welcome to the Stack API endpoint! Please refer to the documentation at https://docs.stack-auth.com.\n\nAuthentication: Client\n  Project: internal\n  User: None',
    );
    // The project apps use is untouched: a UUID, still requiring its publishable key.
    const app = await call('/projects/current', { project: { id: emulator().projectId } });
    expect(app.body.code).toBe('PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT');
  });

  it('gives a new dashboard user a selected personal team, as the internal project creates one on sign-up', async () => {
    const user = await dashboardUser(`team-${compat}@example.com`);
    const read = await call(`/users/${user.userId}`, { access: 'server' });
    expect(read.body.selected_team).toMatchObject({
      id: user.teamId,
      display_name: `team-${compat}@example.com's Team`,
    });
  });

  it('lets a dashboard user create, list, update and delete a project with the admin access token', async () => {
    const { token, projectId, created } = await ownedProject(`owner-${compat}@example.com`);
    expect(created).toMatchObject({
      display_name: `Project of owner-${compat}@example.com`,
      description: '',
      is_production_mode: false,
      config: {
        allow_localhost: true,
        credential_enabled: true,
        sign_up_enabled: true,
        create_team_on_sign_up: false,
      },
    });
    const listed = await call('/internal/projects', { accessToken: token });
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([projectId]);

    const asAdmin = { access: 'admin' as const, project: { id: projectId }, adminAccessToken: token };
    const updated = await call('/internal/projects/current', {
      ...asAdmin,
      method: 'PATCH',
      body: { display_name: 'Renamed', config: { sign_up_enabled: false } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ display_name: 'Renamed', config: { sign_up_enabled: false } });
    // The change is in force at once: a new project needs no publishable key, and refuses sign-ups now.
    const signUp = await call('/auth/password/sign-up', {
      project: { id: projectId },
      body: { email: `late-${compat}@example.com`, password: 'a long password' },
    });
    expect(signUp.body.code).toBe('SIGN_UP_NOT_ENABLED');

    const deleted = await call('/internal/projects/current', { ...asAdmin, method: 'DELETE' });
    expect(deleted.body).toEqual({ success: true });
    const gone = await call('/internal/projects/current', asAdmin);
    expect(gone.body.code).toBe('CURRENT_PROJECT_NOT_FOUND');
    expect((await call('/internal/projects', { accessToken: token })).body.items).toEqual([]);
  });

  it('refuses admin access tokens of other users, of other projects, and garbage, with upstream’s codes', async () => {
    const { projectId } = await ownedProject(`guarded-${compat}@example.com`);
    const stranger = await dashboardUser(`stranger-${compat}@example.com`);
    const project = { id: projectId };
    const asStranger = await call('/internal/projects/current', {
      access: 'admin',
      project,
      adminAccessToken: stranger.token,
    });
    expect(asStranger.body.code).toBe('ADMIN_ACCESS_TOKEN_IS_NOT_ADMIN');
    const appUser = await call('/auth/anonymous/sign-up', {
      project: { id: emulator().projectId, keys: { publishableClientKey: emulator().publishableClientKey } },
      body: {},
    });
    const notInternal = await call('/internal/projects/current', {
      access: 'admin',
      project,
      adminAccessToken: appUser.body.access_token,
    });
    expect(notInternal.body.code).toBe('UNPARSABLE_ADMIN_ACCESS_TOKEN');
    const garbage = await call('/internal/projects/current', {
      access: 'admin',
      project,
      adminAccessToken: 'x.y.z',
    });
    expect(garbage.body.code).toBe('UNPARSABLE_ADMIN_ACCESS_TOKEN');
    const server = await call('/internal/projects/current', {
      access: 'server',
      project,
      adminAccessToken: stranger.token,
      method: 'DELETE',
    });
    expect(server.body.code).toBe('ADMIN_ACCESS_TOKEN_IS_NOT_ADMIN');
  });

  it('creates key sets whose keys work at once, lists them by their last four characters, and revokes them', async () => {
    const { token, projectId } = await ownedProject(`keys-${compat}@example.com`);
    const asAdmin = { access: 'admin' as const, project: { id: projectId }, adminAccessToken: token };
    const created = await call('/internal/api-keys', {
      ...asAdmin,
      body: {
        description: 'ci',
        expires_at_millis: Date.now() + 86_400_000,
        has_publishable_client_key: true,
        has_secret_server_key: true,
        has_super_secret_admin_key: false,
      },
    });
    expect(created.status).toBe(200);
    expect(created.body.publishable_client_key).toMatch(/^pck_[0-9a-z]{45}$/);
    expect(created.body.super_secret_admin_key).toBeUndefined();
    const keys = {
      publishableClientKey: created.body.publishable_client_key,
      secretServerKey: created.body.secret_server_key,
    };
    expect((await call('/users', { access: 'server', project: { id: projectId, keys } })).status).toBe(200);
    const listed = await call('/internal/api-keys', asAdmin);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id: created.body.id,
        publishable_client_key: { last_four: keys.publishableClientKey.slice(-4) },
        secret_server_key: { last_four: keys.secretServerKey.slice(-4) },
      }),
    ]);
    const revoked = await call(`/internal/api-keys/${created.body.id}`, {
      ...asAdmin,
      method: 'PATCH',
      body: { revoked: true },
    });
    expect(revoked.body.manually_revoked_at_millis).toEqual(expect.any(Number));
    const refused = await call('/users', { access: 'server', project: { id: projectId, keys } });
    expect(refused.body.code).toBe('INVALID_SECRET_SERVER_KEY');
    const unknown = await call('/internal/api-keys/00000000-0000-4000-8000-000000000000', asAdmin);
    expect(unknown.body.code).toBe('API_KEY_NOT_FOUND');
  });

  it('applies config overrides at each level, and the rendered config changes what requests may do', async () => {
    const { token, projectId } = await ownedProject(`config-${compat}@example.com`);
    const asAdmin = { access: 'admin' as const, project: { id: projectId }, adminAccessToken: token };
    const patch = (level: string, override: object) =>
      call(`/internal/config/override/${level}`, {
        ...asAdmin,
        method: 'PATCH',
        body: { config_override_string: JSON.stringify(override) },
      });
    const asClient = { project: { id: projectId } };

    expect((await call('/projects/current', asClient)).status).toBe(200);
    expect((await patch('project', { 'project.requirePublishableClientKey': true })).body).toEqual({
      success: true,
    });
    expect((await call('/projects/current', asClient)).body.code).toBe(
      'PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT',
    );
    await patch('project', { 'project.requirePublishableClientKey': false });

    await patch('environment', {
      'teams.createPersonalTeamOnSignUp': true,
      onboarding: { requireEmailVerification: true },
    });
    const signUp = await call('/auth/password/sign-up', {
      ...asClient,
      body: { email: `member-${compat}@example.com`, password: 'a long password' },
    });
    expect(signUp.status).toBe(200);
    const me = await call('/users/me', {
      ...asClient,
      accessToken: signUp.body.access_token,
      allowRestricted: true,
    });
    expect(me.body).toMatchObject({ is_restricted: true, restricted_reason: { type: 'email_not_verified' } });
    expect(me.body.selected_team_id).toEqual(expect.any(String));
    expect(decodeJwt(signUp.body.access_token).aud).toBe(`${projectId}:restricted`);

    const rendered = JSON.parse((await call('/internal/config', asAdmin)).body.config_string);
    expect(rendered.teams.createPersonalTeamOnSignUp).toBe(true);
    expect(rendered.onboarding.requireEmailVerification).toBe(true);
    const reset = await call('/internal/config/override/environment/reset-keys', {
      ...asAdmin,
      body: { keys: ['onboarding'] },
    });
    expect(reset.body).toEqual({ success: true });
    expect(
      JSON.parse((await call('/internal/config', asAdmin)).body.config_string).onboarding
        .requireEmailVerification,
    ).toBe(false);

    const branch = await call('/internal/config/override/branch', {
      ...asAdmin,
      method: 'PUT',
      body: { config_string: '{}' },
    });
    expect(branch).toMatchObject({ status: 400, body: 'source is required for branch level config' });
    expect((await patch('environment', { nonsense: true })).status).toBe(400);
    const badJson = await call('/internal/config/override/environment', {
      ...asAdmin,
      method: 'PATCH',
      body: { config_override_string: '{' },
    });
    expect(badJson).toMatchObject({ status: 400, body: 'Invalid config JSON' });
  });

  it('trusts redirect URLs by the project’s domains, and answers schema errors in upstream’s words', async () => {
    const { token, projectId } = await ownedProject(`domains-${compat}@example.com`);
    const asAdmin = {
      access: 'admin' as const,
      project: { id: projectId },
      adminAccessToken: token,
      method: 'PATCH',
    };
    const signUp = (email: string, url: string) =>
      call('/auth/password/sign-up', {
        project: { id: projectId },
        body: { email, password: 'a long password', verification_callback_url: url },
      });
    expect((await signUp(`a-${compat}@example.com`, 'https://app.example.com/verify')).body.code).toBe(
      'REDIRECT_URL_NOT_WHITELISTED',
    );
    const bad = await call('/internal/projects/current', {
      ...asAdmin,
      body: { config: { domains: [{ domain: 'ftp://app.example.com', handler_path: '/handler' }] } },
    });
    expect(bad.body.error).toBe(
      'Request validation failed on PATCH /api/v1/internal/projects/current:\n  - URL must start with http:// or https://',
    );
    await call('/internal/projects/current', {
      ...asAdmin,
      body: { config: { domains: [{ domain: 'https://app.example.com', handler_path: '/handler' }] } },
    });
    expect((await signUp(`b-${compat}@example.com`, 'https://app.example.com/verify')).status).toBe(200);
    expect((await signUp(`c-${compat}@example.com`, 'http://localhost:3000/verify')).status).toBe(200);
    const extra = await call('?extra=param', {});
    expect(extra.body.error).toBe(
      'Request validation failed on GET /api/v1:\n  - query contains unknown properties: extra',
    );
  });

  it('publishes two keys per token audience, as upstream does, and tokens verify against them', async () => {
    const jwks = async (query = '') =>
      (
        await fetch(`${emulator().apiUrl}/api/v1/projects/internal/.well-known/jwks.json${query}`)
      ).json() as Promise<{
        keys: { kid: string }[];
      }>;
    const normal = await jwks();
    expect(normal.keys).toHaveLength(2);
    expect((await jwks('?include_restricted=true')).keys).toHaveLength(4);
    const all = await jwks('?include_anonymous=true');
    expect(all.keys).toHaveLength(6);
    expect(new Set(all.keys.map((k) => k.kid)).size).toBe(6);
    const { token } = await dashboardUser(`jwks-${compat}@example.com`);
    const { payload } = await jwtVerify(token, createLocalJWKSet(normal as never));
    expect(payload.aud).toBe('internal');
  });
});
