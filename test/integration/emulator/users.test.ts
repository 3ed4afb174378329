import { describe, expect, it } from 'vitest';
import type { CompatMode } from '../../../main/emulator/index.js';
import { dualResponseHeaderNames } from '../../../shared/registry/index.js';
import { apiFetch, setupTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

const [KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');
const password = 'correct horse battery';

async function signUp(emulator: TestEmulator, email: string) {
  const response = await apiFetch(emulator, '/auth/password/sign-up', {
    method: 'POST',
    body: { email, password },
  });
  return (await response.json()) as { access_token: string; user_id: string };
}

describe.each(['dual', 'legacy'] as CompatMode[])('%s mode: users', (compat) => {
  const emulator = setupTestEmulator({ compat });

  it('GET/PATCH /users/me: a client sees and edits the client view only', async () => {
    const { access_token, user_id } = await signUp(emulator(), `me-${compat}@example.com`);
    const me = await (await apiFetch(emulator(), '/users/me', { accessToken: access_token })).json();
    expect(me).toMatchObject({
      id: user_id,
      primary_email: `me-${compat}@example.com`,
      has_password: true,
      is_anonymous: false,
    });
    expect(me).not.toHaveProperty('server_metadata');
    const patched = await apiFetch(emulator(), '/users/me', {
      method: 'PATCH',
      accessToken: access_token,
      body: { display_name: 'Grace', client_metadata: { theme: 'dark' } },
    });
    expect(await patched.json()).toMatchObject({ display_name: 'Grace', client_metadata: { theme: 'dark' } });
    const forbidden = await apiFetch(emulator(), '/users/me', {
      method: 'PATCH',
      accessToken: access_token,
      body: { server_metadata: { admin: true } },
    });
    expect([forbidden.status, forbidden.headers.get(KNOWN_ERROR)]).toEqual([400, 'SCHEMA_ERROR']);
    const asServer = await (
      await apiFetch(emulator(), '/users/me', { access: 'server', accessToken: access_token })
    ).json();
    expect(asServer).toMatchObject({
      server_metadata: null,
      risk_scores: { sign_up: { bot: 0, free_trial_abuse: 0 } },
    });
  });

  it('DELETE /users/me removes the user; its token then finds no user', async () => {
    const { access_token } = await signUp(emulator(), `gone-${compat}@example.com`);
    expect(
      await (await apiFetch(emulator(), '/users/me', { method: 'DELETE', accessToken: access_token })).json(),
    ).toEqual({ success: true });
    const after = await apiFetch(emulator(), '/users/me', { accessToken: access_token });
    expect(after.headers.get(KNOWN_ERROR)).toBe('CANNOT_GET_OWN_USER_WITHOUT_USER');
  });

  it('server CRUD: POST 201, GET, PATCH, DELETE, and 404 afterwards', async () => {
    const created = await apiFetch(emulator(), '/users', {
      method: 'POST',
      access: 'server',
      body: {
        primary_email: `crud-${compat}@example.com`,
        primary_email_auth_enabled: true,
        password,
        display_name: 'Crud',
        server_metadata: { plan: 'pro' },
      },
    });
    expect(created.status).toBe(201);
    const user = await created.json();
    expect(user).toMatchObject({
      display_name: 'Crud',
      primary_email_auth_enabled: true,
      has_password: true,
      server_metadata: { plan: 'pro' },
    });
    const fetched = await (await apiFetch(emulator(), `/users/${user.id}`, { access: 'server' })).json();
    expect(fetched).toEqual(user);
    const patched = await apiFetch(emulator(), `/users/${user.id}`, {
      method: 'PATCH',
      access: 'server',
      body: { primary_email_verified: true, client_read_only_metadata: { credits: 3 } },
    });
    expect(await patched.json()).toMatchObject({
      primary_email_verified: true,
      client_read_only_metadata: { credits: 3 },
    });
    const signIn = await apiFetch(emulator(), '/auth/password/sign-in', {
      method: 'POST',
      body: { email: `crud-${compat}@example.com`, password },
    });
    expect(signIn.status).toBe(200);
    expect(
      await (await apiFetch(emulator(), `/users/${user.id}`, { method: 'DELETE', access: 'server' })).json(),
    ).toEqual({ success: true });
    const missing = await apiFetch(emulator(), `/users/${user.id}`, { access: 'server' });
    expect([missing.status, missing.headers.get(KNOWN_ERROR)]).toEqual([404, 'USER_NOT_FOUND']);
  });

  it('server routes refuse clients, bad ids and taken e-mails', async () => {
    const client = await apiFetch(emulator(), '/users', { access: 'client' });
    expect(client.headers.get(KNOWN_ERROR)).toBe('INSUFFICIENT_ACCESS_TYPE');
    const badId = await apiFetch(emulator(), '/users/not-a-uuid', { access: 'server' });
    expect(badId.headers.get(KNOWN_ERROR)).toBe('SCHEMA_ERROR');
    const me = await apiFetch(emulator(), '/users/me', { access: 'server' });
    expect(me.headers.get(KNOWN_ERROR)).toBe('CANNOT_GET_OWN_USER_WITHOUT_USER');
    await signUp(emulator(), `taken-${compat}@example.com`);
    const taken = await apiFetch(emulator(), '/users', {
      method: 'POST',
      access: 'server',
      body: { primary_email: `taken-${compat}@example.com`, primary_email_auth_enabled: true },
    });
    expect([taken.status, taken.headers.get(KNOWN_ERROR)]).toEqual([409, 'USER_EMAIL_ALREADY_EXISTS']);
  });
});

describe('GET /users pagination and filters', () => {
  const emulator = setupTestEmulator({ seedUsers: 25 });
  const list = async (query: string) =>
    (await (await apiFetch(emulator(), `/users?${query}`, { access: 'server' })).json()) as {
      items: { id: string; display_name: string; signed_up_at_millis: number }[];
      is_paginated: boolean;
      pagination: { next_cursor: string | null };
    };

  it('pages with limit and cursor through every user exactly once, in sign-up order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.is_paginated).toBe(true);
      seen.push(...page.items.map((u) => u.display_name));
      cursor = page.pagination.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `Seed User ${i + 1}`));
  });

  it('returns everything without a limit, with next_cursor null', async () => {
    const all = await list('');
    expect(all.items).toHaveLength(25);
    expect(all.pagination.next_cursor).toBeNull();
  });

  it('sorts descending with desc=true and order_by=signed_up_at', async () => {
    const page = await list('limit=2&desc=true&order_by=signed_up_at');
    expect(page.items.map((u) => u.display_name)).toEqual(['Seed User 25', 'Seed User 24']);
    const next = await list(`limit=2&desc=true&cursor=${page.pagination.next_cursor}`);
    expect(next.items[0]!.display_name).toBe('Seed User 23');
  });

  it('searches display names and e-mails case-insensitively, and ids exactly', async () => {
    expect((await list('query=seed user 1')).items.map((u) => u.display_name)).toEqual([
      'Seed User 1',
      ...Array.from({ length: 10 }, (_, i) => `Seed User ${i + 10}`),
    ]);
    expect((await list('query=SEED-USER-7@')).items.map((u) => u.display_name)).toEqual(['Seed User 7']);
    const one = (await list('limit=1')).items[0]!;
    expect((await list(`query=${one.id}`)).items.map((u) => u.id)).toEqual([one.id]);
  });

  it('hides anonymous users unless asked, and validates its query', async () => {
    await apiFetch(emulator(), '/auth/anonymous/sign-up', { method: 'POST' });
    expect((await list('')).items).toHaveLength(25);
    expect((await list('include_anonymous=true')).items).toHaveLength(26);
    expect((await list('include_anonymous=true&only_anonymous=true')).items).toHaveLength(1);
    const bad = await apiFetch(emulator(), '/users?limit=0', { access: 'server' });
    expect(bad.headers.get(KNOWN_ERROR)).toBe('SCHEMA_ERROR');
    const badOrder = await apiFetch(emulator(), '/users?order_by=display_name', { access: 'server' });
    expect(badOrder.headers.get(KNOWN_ERROR)).toBe('SCHEMA_ERROR');
  });
});
