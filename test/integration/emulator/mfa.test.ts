import { generateTOTP } from '@oslojs/otp';
import { describe, expect, it } from 'vitest';
import { dualResponseHeaderNames } from '../../../shared/registry/index.js';
import { apiFetch, setupTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { type SdkGeneration, sdkApps } from './sdk-scenario.js';

const [KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');

async function passwordSignIn(emulator: TestEmulator, email: string, password: string) {
  return apiFetch(emulator, '/auth/password/sign-in', { method: 'POST', body: { email, password } });
}

describe('dual mode: TOTP multi-factor sign-in', () => {
  const emulator = setupTestEmulator({ compat: 'dual' });

  it.each(['old', 'new'] as SdkGeneration[])(
    'a user with a TOTP gets an attempt code from the password, and a session from the SDK’s signInWithMfa (%s SDK)',
    async (sdk) => {
      const { server, client } = sdkApps(sdk, emulator());
      const email = `mfa-${sdk}@example.com`;
      const password = 'correct horse battery';
      const user = await server.createUser({ primaryEmail: email, password, primaryEmailAuthEnabled: true });
      const secret = crypto.getRandomValues(new Uint8Array(20));
      await user.update({ totpMultiFactorSecret: secret });
      expect((await server.getUser(user.id))?.isMultiFactorRequired).toBe(true);

      const refused = await passwordSignIn(emulator(), email, password);
      expect([refused.status, refused.headers.get(KNOWN_ERROR)]).toEqual([
        400,
        'MULTI_FACTOR_AUTHENTICATION_REQUIRED',
      ]);
      const attemptCode: string = (await refused.json()).details.attempt_code;

      const wrong = await client.signInWithMfa('000000', attemptCode, { noRedirect: true });
      const right = generateTOTP(secret, 30, 6);
      // One chance in a million that the wrong code is the right one; then the next assertion would say so.
      expect(right).not.toBe('000000');
      expect(wrong.status === 'error' && wrong.error.errorCode).toBe('INVALID_TOTP_CODE');
      expect((await client.signInWithMfa(right, attemptCode, { noRedirect: true })).status).toBe('ok');
      expect((await client.getUser())?.id).toBe(user.id);

      const replay = await apiFetch(emulator(), '/auth/mfa/sign-in', {
        method: 'POST',
        body: { type: 'totp', totp: right, code: attemptCode },
      });
      expect(replay.headers.get(KNOWN_ERROR)).toBe('VERIFICATION_CODE_ALREADY_USED');

      await user.update({ totpMultiFactorSecret: null });
      expect((await passwordSignIn(emulator(), email, password)).status).toBe(200);
    },
  );

  it('sets the TOTP secret from the client, and refuses one that is not base64', async () => {
    const signUp = await (
      await apiFetch(emulator(), '/auth/password/sign-up', {
        method: 'POST',
        body: { email: 'mfa-schema@example.com', password: 'long enough 1' },
      })
    ).json();
    const bad = await apiFetch(emulator(), '/users/me', {
      method: 'PATCH',
      accessToken: signUp.access_token,
      body: { totp_secret_base64: 'not-valid-base64' },
    });
    expect([bad.status, bad.headers.get(KNOWN_ERROR)]).toEqual([400, 'SCHEMA_ERROR']);
    expect(await bad.text()).toContain('body.totp_secret_base64 is not valid base64');
    const set = await apiFetch(emulator(), '/users/me', {
      method: 'PATCH',
      accessToken: signUp.access_token,
      body: { totp_secret_base64: Buffer.from('twenty byte secret!!').toString('base64') },
    });
    expect((await set.json()).requires_totp_mfa).toBe(true);
  });
});
