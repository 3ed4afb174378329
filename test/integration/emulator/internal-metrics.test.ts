import { describe, expect, it } from 'vitest';
import type { CompatMode } from '../../../main/emulator/index.js';
import { dualResponseHeaderNames } from '../../../shared/registry/index.js';
import { apiFetch, setupTestEmulator } from '../../helpers/emulator.js';

const [KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');
const today = () => new Date().toISOString().slice(0, 10);

describe.each(['dual', 'legacy'] as CompatMode[])('%s mode: GET /internal/metrics', (compat) => {
  const emulator = setupTestEmulator({ compat });
  const metrics = async (query = '') => {
    const response = await apiFetch(emulator(), `/internal/metrics${query}`, { access: 'admin' });
    expect(response.status).toBe(200);
    return response.json();
  };

  it('counts sign-ups and sign-in methods, lists the newest users, and leaves anonymous users out unless asked', async () => {
    const before = await metrics();
    expect(before.daily_users).toHaveLength(31);
    expect(before.daily_users.at(-1).date).toBe(today());

    const email = `metrics-${compat}@example.com`;
    const signUp = await apiFetch(emulator(), '/auth/password/sign-up', {
      method: 'POST',
      body: { email, password: 'long enough 1' },
    });
    expect(signUp.status).toBe(200);
    const anonymous = await apiFetch(emulator(), '/auth/anonymous/sign-up', { method: 'POST' });
    expect(anonymous.status).toBe(200);

    const after = await metrics();
    expect(after.total_users).toBe(before.total_users + 1);
    expect(after.daily_users.at(-1).activity).toBe(before.daily_users.at(-1).activity + 1);
    expect(after.daily_active_users.at(-1).activity).toBeGreaterThanOrEqual(1);
    expect(after.recently_registered[0]).toMatchObject({ primary_email: email });
    const passwords = (m: { login_methods: { method: string; count: number }[] }) =>
      m.login_methods.find((entry) => entry.method === 'password')?.count ?? 0;
    expect(passwords(after)).toBe(passwords(before) + 1);

    const withAnonymous = await metrics('?include_anonymous=true');
    expect(withAnonymous.total_users).toBeGreaterThanOrEqual(after.total_users + 1);
    expect(withAnonymous.recently_registered[0].is_anonymous).toBe(true);

    const deleted = await apiFetch(emulator(), `/users/${(await signUp.json()).user_id}`, {
      method: 'DELETE',
      access: 'server',
    });
    expect(deleted.status).toBe(200);
    expect((await metrics()).total_users).toBe(before.total_users);
  });

  it('answers only admin access', async () => {
    const server = await apiFetch(emulator(), '/internal/metrics', { access: 'server' });
    expect(server.status).toBe(401);
    expect(server.headers.get(KNOWN_ERROR)).toBe('INSUFFICIENT_ACCESS_TYPE');
  });
});
