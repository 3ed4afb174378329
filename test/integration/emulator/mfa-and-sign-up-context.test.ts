import { generateTOTP } from '@oslojs/otp';
import { describe, expect, it } from 'vitest';
import type { CompatMode } from '../../../main/emulator/index.js';
import { dualResponseHeaderNames } from '../../../shared/registry/index.js';
import { apiFetch, setupTestEmulator } from '../../helpers/emulator.js';

const [KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');
const PASSWORD = 'correct-horse-battery-staple-7';

interface Tokens {
  access_token: string;
  refresh_token: string;
  user_id: string;
}

describe.each(['dual', 'legacy'] as CompatMode[])(
  '%s mode: TOTP sign-in and what a sign-up records',
  (compat) => {
    const emulator = setupTestEmulator({ compat });
    const family = compat === 'dual' ? 'hexclave' : 'stack';
    const post = (
      path: string,
      body: unknown,
      init: { accessToken?: string; headers?: Record<string, string> } = {},
    ) => apiFetch(emulator(), path, { method: 'POST', family, body, ...init });

    it('asks a user with a TOTP key for a second factor after the password, and signs in with the TOTP', async () => {
      const email = `mfa-${compat}@example.com`;
      const signUp = (await (
        await post('/auth/password/sign-up', { email, password: PASSWORD })
      ).json()) as Tokens;
      const secret = crypto.getRandomValues(new Uint8Array(20));
      const enable = await apiFetch(emulator(), '/users/me', {
        method: 'PATCH',
        family,
        accessToken: signUp.access_token,
        body: { totp_secret_base64: Buffer.from(secret).toString('base64') },
      });
      expect(enable.status).toBe(200);
      expect(((await enable.json()) as { requires_totp_mfa: boolean }).requires_totp_mfa).toBe(true);

      const first = await post('/auth/password/sign-in', { email, password: PASSWORD });
      expect(first.status).toBe(400);
      expect(first.headers.get(KNOWN_ERROR!)).toBe('MULTI_FACTOR_AUTHENTICATION_REQUIRED');
      const { details } = (await first.json()) as { details: { attempt_code: string } };
      expect(details.attempt_code).toMatch(/^[a-z0-9]{45}$/);

      const wrong = await post('/auth/mfa/sign-in', {
        code: details.attempt_code,
        type: 'totp',
        totp: '000000x',
      });
      expect(wrong.headers.get(KNOWN_ERROR!)).toBe('INVALID_TOTP_CODE');
      const unknown = await post('/auth/mfa/sign-in', { code: 'b'.repeat(45), type: 'totp', totp: '123456' });
      expect(unknown.headers.get(KNOWN_ERROR!)).toBe('VERIFICATION_CODE_NOT_FOUND');

      const second = await post('/auth/mfa/sign-in', {
        code: details.attempt_code,
        type: 'totp',
        totp: generateTOTP(secret, 30, 6),
      });
      expect(second.status).toBe(200);
      const tokens = (await second.json()) as Tokens & { is_new_user: boolean };
      expect(tokens).toMatchObject({ user_id: signUp.user_id, is_new_user: false });
      const me = await apiFetch(emulator(), '/users/me', { family, accessToken: tokens.access_token });
      expect(((await me.json()) as { id: string }).id).toBe(signUp.user_id);
      // An attempt signs in once.
      const replay = await post('/auth/mfa/sign-in', {
        code: details.attempt_code,
        type: 'totp',
        totp: generateTOTP(secret, 30, 6),
      });
      expect(replay.headers.get(KNOWN_ERROR!)).toBe('VERIFICATION_CODE_ALREADY_USED');

      // Turning it off again: the password alone signs in.
      await apiFetch(emulator(), '/users/me', {
        method: 'PATCH',
        family,
        accessToken: tokens.access_token,
        body: { totp_secret_base64: null },
      });
      expect((await post('/auth/password/sign-in', { email, password: PASSWORD })).status).toBe(200);
    });

    it('refuses a TOTP key that is not base64, in upstream’s words', async () => {
      const signUp = (await (
        await post('/auth/password/sign-up', { email: `bad-totp-${compat}@example.com`, password: PASSWORD })
      ).json()) as Tokens;
      const response = await apiFetch(emulator(), '/users/me', {
        method: 'PATCH',
        family,
        accessToken: signUp.access_token,
        body: { totp_secret_base64: 'not-valid-base64' },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain(
        'body.totp_secret_base64 is not valid base64',
      );
    });

    it('records the country of the sign-up request, and names an upgraded anonymous user’s personal team', async () => {
      const admin = await apiFetch(emulator(), '/internal/projects/current', {
        method: 'PATCH',
        access: 'admin',
        family,
        body: { config: { create_team_on_sign_up: true } },
      });
      expect(admin.status, await admin.clone().text()).toBe(200);
      const anonymous = (await (await post('/auth/anonymous/sign-up', undefined)).json()) as Tokens;
      const email = `upgraded-${compat}@example.com`;
      const geo = { 'x-forwarded-for': '203.0.113.7', 'cf-ipcountry': 'ca' };
      const upgraded = await post(
        '/auth/password/sign-up',
        { email, password: PASSWORD },
        { accessToken: anonymous.access_token, headers: geo },
      );
      expect(((await upgraded.json()) as Tokens).user_id).toBe(anonymous.user_id);
      const user = (await (
        await apiFetch(emulator(), `/users/${anonymous.user_id}`, { access: 'server', family })
      ).json()) as { country_code: string | null; selected_team: { display_name: string } | null };
      expect(user.country_code).toBe('CA');
      expect(user.selected_team?.display_name).toBe(`${email}'s Team`);
    });
  },
);
