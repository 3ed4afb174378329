import { describe, expect, it } from 'vitest';
import type { CompatMode } from '../../../main/emulator/index.js';
import { dualResponseHeaderNames } from '../../../shared/registry/index.js';
import { apiFetch, setupTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

const [KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');

async function signUp(emulator: TestEmulator, email: string) {
  const response = await apiFetch(emulator, '/auth/password/sign-up', {
    method: 'POST',
    body: { email, password: 'long enough 1' },
  });
  return (await response.json()) as { access_token: string; user_id: string };
}

describe.each(['dual', 'legacy'] as CompatMode[])('%s mode: contact channels', (compat) => {
  const emulator = setupTestEmulator({ compat });

  it('lists, creates, reads, updates and deletes a user’s channels', async () => {
    const { access_token, user_id } = await signUp(emulator(), `cc-${compat}@example.com`);
    const token = { accessToken: access_token };
    const listed = await (await apiFetch(emulator(), '/contact-channels?user_id=me', token)).json();
    expect(listed).toEqual({
      items: [
        {
          user_id,
          id: expect.any(String),
          value: `cc-${compat}@example.com`,
          type: 'email',
          used_for_auth: true,
          is_verified: false,
          is_primary: true,
        },
      ],
      is_paginated: false,
    });
    const created = await apiFetch(emulator(), '/contact-channels', {
      method: 'POST',
      ...token,
      body: {
        user_id: 'me',
        value: `second-${compat}@example.com`,
        type: 'email',
        used_for_auth: false,
        is_primary: true,
      },
    });
    expect(created.status).toBe(201);
    const second = await created.json();
    expect(second).toMatchObject({ is_primary: true, used_for_auth: false });
    const me = await (await apiFetch(emulator(), '/users/me', token)).json();
    expect(me.primary_email).toBe(`second-${compat}@example.com`);
    const read = await (await apiFetch(emulator(), `/contact-channels/me/${second.id}`, token)).json();
    expect(read).toEqual(second);
    const verified = await apiFetch(emulator(), `/contact-channels/${user_id}/${second.id}`, {
      method: 'PATCH',
      access: 'server',
      body: { is_verified: true },
    });
    expect((await verified.json()).is_verified).toBe(true);
    const renamed = await apiFetch(emulator(), `/contact-channels/me/${second.id}`, {
      method: 'PATCH',
      ...token,
      body: { value: `third-${compat}@example.com` },
    });
    expect(await renamed.json()).toMatchObject({ value: `third-${compat}@example.com`, is_verified: false });
    expect(
      await (
        await apiFetch(emulator(), `/contact-channels/me/${second.id}`, { method: 'DELETE', ...token })
      ).json(),
    ).toEqual({ success: true });
    const gone = await apiFetch(emulator(), `/contact-channels/me/${second.id}`, token);
    expect([gone.status, await gone.text()]).toEqual([404, 'Contact channel not found.']);
    const deleteAgain = await apiFetch(emulator(), `/contact-channels/me/${second.id}`, {
      method: 'DELETE',
      ...token,
    });
    expect([deleteAgain.status, await deleteAgain.text()]).toEqual([400, 'Contact channel not found']);
  });

  it('keeps clients to their own user and sign-in e-mails unique', async () => {
    const alice = await signUp(emulator(), `alice-${compat}@example.com`);
    const bob = await signUp(emulator(), `bob-${compat}@example.com`);
    const foreign = await apiFetch(emulator(), `/contact-channels?user_id=${bob.user_id}`, {
      accessToken: alice.access_token,
    });
    expect([foreign.status, await foreign.text()]).toEqual([
      403,
      'Client can only list contact channels for their own user.',
    ]);
    const stolen = await apiFetch(emulator(), '/contact-channels', {
      method: 'POST',
      accessToken: alice.access_token,
      body: { user_id: 'me', value: `bob-${compat}@example.com`, type: 'email', used_for_auth: true },
    });
    expect([stolen.status, stolen.headers.get(KNOWN_ERROR)]).toEqual([
      409,
      'CONTACT_CHANNEL_ALREADY_USED_FOR_AUTH_BY_SOMEONE_ELSE',
    ]);
    const duplicate = await apiFetch(emulator(), '/contact-channels', {
      method: 'POST',
      accessToken: alice.access_token,
      body: { user_id: 'me', value: `alice-${compat}@example.com`, type: 'email', used_for_auth: false },
    });
    expect([duplicate.status, await duplicate.text()]).toEqual([400, 'Contact channel already exists']);
    const noUser = await apiFetch(emulator(), '/contact-channels?user_id=me');
    expect(noUser.headers.get(KNOWN_ERROR)).toBe('CANNOT_GET_OWN_USER_WITHOUT_USER');
  });
});
