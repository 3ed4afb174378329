import { describe, expect, it } from 'vitest';
import type { CompatMode } from '../../../main/emulator/index.js';
import { dualResponseHeaderNames } from '../../../shared/registry/index.js';
import { apiFetch, setupTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

const [KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');

interface Channel {
  value: string;
  is_primary: boolean;
  is_verified: boolean;
  used_for_auth: boolean;
}

/**
 * Upstream's users CRUD semantics for `primary_email` (users-primary-email.test.ts upstream): a new address
 * becomes a new primary channel and the old one stays, an existing channel of the user is promoted (keeping its
 * verification), `null` demotes without deleting, and another account's sign-in e-mail is refused with a 409.
 */
describe.each(['dual', 'legacy'] as CompatMode[])('%s mode: changing the primary e-mail', (compat) => {
  const emulator = setupTestEmulator({ compat });
  const family = compat === 'dual' ? 'hexclave' : 'stack';

  async function verifiedUser(e: TestEmulator, email: string) {
    const created = await apiFetch(e, '/users', {
      method: 'POST',
      access: 'server',
      family,
      body: { primary_email: email, primary_email_verified: true, primary_email_auth_enabled: true },
    });
    const { id } = (await created.json()) as { id: string };
    const session = await apiFetch(e, '/auth/sessions', {
      method: 'POST',
      access: 'server',
      family,
      body: { user_id: id },
    });
    const { access_token } = (await session.json()) as { access_token: string };
    return { id, accessToken: access_token };
  }

  const channels = async (e: TestEmulator, accessToken: string) =>
    (
      (await (await apiFetch(e, '/contact-channels?user_id=me', { family, accessToken })).json()) as {
        items: Channel[];
      }
    ).items;

  it('promotes an existing channel (no 500), keeping its verification, and keeps the old primary', async () => {
    const first = `switch-a-${compat}@example.com`;
    const second = `switch-b-${compat}@example.com`;
    const { id, accessToken } = await verifiedUser(emulator(), first);
    await apiFetch(emulator(), '/contact-channels', {
      method: 'POST',
      access: 'server',
      family,
      body: { user_id: id, value: second, type: 'email', used_for_auth: false, is_verified: true },
    });
    const switched = await apiFetch(emulator(), '/users/me', {
      method: 'PATCH',
      family,
      accessToken,
      body: { primary_email: second },
    });
    expect(switched.status).toBe(200);
    expect(await switched.json()).toMatchObject({ primary_email: second, primary_email_verified: true });
    const after = await channels(emulator(), accessToken);
    expect(after).toHaveLength(2);
    expect(after.find((c) => c.value === first)).toMatchObject({ is_primary: false, is_verified: true });
    // The sign-in flag moves with the primary address, as upstream's update does.
    expect(after.find((c) => c.value === second)).toMatchObject({ is_primary: true, used_for_auth: true });
  });

  it('a new address is a new, unverified primary channel; the same address again changes nothing', async () => {
    const old = `new-a-${compat}@example.com`;
    const fresh = `new-b-${compat}@example.com`;
    const { accessToken } = await verifiedUser(emulator(), old);
    const same = await apiFetch(emulator(), '/users/me', {
      method: 'PATCH',
      family,
      accessToken,
      body: { primary_email: old.toUpperCase() },
    });
    expect(await same.json()).toMatchObject({ primary_email: old, primary_email_verified: true });
    const changed = await apiFetch(emulator(), '/users/me', {
      method: 'PATCH',
      family,
      accessToken,
      body: { primary_email: fresh },
    });
    expect(await changed.json()).toMatchObject({ primary_email: fresh, primary_email_verified: false });
    const after = await channels(emulator(), accessToken);
    expect(after.map((c) => [c.value, c.is_primary]).sort()).toEqual([
      [old, false],
      [fresh, true],
    ]);
  });

  it('primary_email: null demotes the channel without deleting it, and turns the derived flags off', async () => {
    const email = `null-${compat}@example.com`;
    const { id, accessToken } = await verifiedUser(emulator(), email);
    const removed = await apiFetch(emulator(), `/users/${id}`, {
      method: 'PATCH',
      access: 'server',
      family,
      body: { primary_email: null },
    });
    expect(await removed.json()).toMatchObject({
      primary_email: null,
      primary_email_verified: false,
      primary_email_auth_enabled: false,
    });
    expect(await channels(emulator(), accessToken)).toEqual([
      expect.objectContaining({ value: email, is_primary: false, is_verified: true }),
    ]);
    // With no primary e-mail, only a verified flag is refused; `false` is a no-op.
    const refused = await apiFetch(emulator(), `/users/${id}`, {
      method: 'PATCH',
      access: 'server',
      family,
      body: { primary_email_verified: true },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe('primary_email_verified cannot be true without primary_email');
  });

  it("another account's sign-in e-mail is USER_EMAIL_ALREADY_EXISTS, not a duplicate-key 500", async () => {
    const taken = `taken-${compat}@example.com`;
    await verifiedUser(emulator(), taken);
    const { id } = await verifiedUser(emulator(), `taker-${compat}@example.com`);
    const response = await apiFetch(emulator(), `/users/${id}`, {
      method: 'PATCH',
      access: 'server',
      family,
      body: { primary_email: taken, primary_email_auth_enabled: true },
    });
    expect(response.status).toBe(409);
    expect(response.headers.get(KNOWN_ERROR!)).toBe('USER_EMAIL_ALREADY_EXISTS');
  });
});
