import { describe, expect, it } from 'vitest';
import type { CompatMode, RunningEmulator } from '../../../main/emulator/index.js';
import {
  dualResponseHeaderNames,
  type Family,
  readDualResponseHeader,
} from '../../../shared/registry/index.js';
import { apiFetch, setupTestEmulator } from '../../helpers/emulator.js';

const [STACK_KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');

/**
 * The wire sequence a published SDK runs, with only its own header family (docs/sdk-as-shipped.md §1): sign-up,
 * users/me, a refresh through the form-encoded token endpoint (no custom headers), sign-out. Returns the step
 * that failed, or null.
 */
async function sdkSequence(
  emulator: RunningEmulator,
  family: Family,
): Promise<{ step: string; status: number; code: string | null } | null> {
  const sdk = { family, overrideErrorStatus: true } as const;
  const fail = (step: string, response: Response) => ({
    step,
    status: response.status,
    code: readDualResponseHeader(response.headers, 'header.known-error').value,
  });
  const signUp = await apiFetch(emulator, '/auth/password/sign-up', {
    ...sdk,
    method: 'POST',
    body: { email: `${family}-${Date.now()}@example.com`, password: 'correct horse battery' },
  });
  if (signUp.status !== 200 || readDualResponseHeader(signUp.headers, 'header.known-error').value)
    return fail('sign-up', signUp);
  const { access_token, refresh_token, user_id } = await signUp.json();

  const me = await apiFetch(emulator, '/users/me', {
    ...sdk,
    accessToken: access_token,
    refreshToken: refresh_token,
  });
  if ((await me.clone().json()).id !== user_id) return fail('users/me', me);

  const refresh = await fetch(`${emulator.apiUrl}/api/v1/auth/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      accept: 'application/json',
    },
    body: new URLSearchParams({
      refresh_token,
      grant_type: 'refresh_token',
      client_id: emulator.projectId,
      client_secret: emulator.publishableClientKey,
    }),
  });
  if (refresh.status !== 200) return fail('refresh', refresh);
  const { access_token: refreshed } = await refresh.json();

  const signOut = await apiFetch(emulator, '/auth/sessions/current', {
    ...sdk,
    method: 'DELETE',
    accessToken: refreshed,
    body: {},
  });
  if (!(await signOut.clone().json()).success) return fail('sign-out', signOut);
  return null;
}

describe.each(['dual', 'legacy'] as CompatMode[])('%s mode: SDK wire sequences', (compat) => {
  const emulator = setupTestEmulator({ compat });

  it('an old SDK (x-stack-* only) completes sign-up → users/me → refresh → sign-out', async () => {
    expect(await sdkSequence(emulator(), 'stack')).toBeNull();
  });

  if (compat === 'dual') {
    it('a new SDK (x-hexclave-* only) completes the same sequence', async () => {
      expect(await sdkSequence(emulator(), 'hexclave')).toBeNull();
    });
  } else {
    it('a new SDK (x-hexclave-* only) fails at sign-up as against today’s backend: 400 ACCESS_TYPE_REQUIRED, not overridden', async () => {
      expect(await sdkSequence(emulator(), 'hexclave')).toEqual({
        step: 'sign-up',
        status: 400,
        code: 'ACCESS_TYPE_REQUIRED',
      });
      const response = await apiFetch(emulator(), '/projects/current', {
        family: 'hexclave',
        overrideErrorStatus: true,
      });
      expect(response.headers.get(STACK_KNOWN_ERROR)).toBe('ACCESS_TYPE_REQUIRED');
    });
  }
});
