import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as newSdk from 'stack-sdk-new';
import * as oldSdk from 'stack-sdk-old';
import { expect } from 'vitest';
import type { RunningEmulator } from '../../../main/emulator/index.js';
import { issuerFor } from '../../../shared/registry/index.js';

/** The published SDKs: 2.8.102 sends only x-stack-* headers, 2.8.108 only X-Hexclave-* (docs/sdk-as-shipped.md). */
export const SDKS = { old: oldSdk, new: newSdk } as const;
export type SdkGeneration = keyof typeof SDKS;

function apps(sdk: SdkGeneration, emulator: RunningEmulator) {
  const common = {
    projectId: emulator.projectId,
    publishableClientKey: emulator.publishableClientKey,
    baseUrl: emulator.apiUrl,
  };
  const server = { ...common, secretServerKey: emulator.secretServerKey, tokenStore: 'memory' as const };
  const client = { ...common, tokenStore: 'memory' as const };
  const withTokens = (refreshToken: string) => ({
    ...common,
    tokenStore: { accessToken: 'not-a-jwt', refreshToken },
  });
  // One branch per package: their constructor types differ, so a union of them cannot be called.
  if (sdk === 'old') {
    return {
      server: new oldSdk.StackServerApp(server),
      client: new oldSdk.StackClientApp(client),
      clientWithTokens: (refreshToken: string) => new oldSdk.StackClientApp(withTokens(refreshToken)),
    };
  }
  return {
    server: new newSdk.StackServerApp(server),
    client: new newSdk.StackClientApp(client),
    clientWithTokens: (refreshToken: string) => new newSdk.StackClientApp(withTokens(refreshToken)),
  };
}

/**
 * What a developer does with the SDK against a backend: create a user (server), a wrong password, sign in, read
 * and update the user, list users, a refresh through /auth/oauth/token, verify the token against the JWKS, sign
 * out, sign up, delete. Every step asserts what the developer would see.
 */
export async function runSdkScenario(sdk: SdkGeneration, emulator: RunningEmulator): Promise<void> {
  const { server, client, clientWithTokens } = apps(sdk, emulator);
  const email = `${sdk}-sdk-${Date.now()}@example.com`;
  const password = 'correct horse battery';

  const created = await server.createUser({
    primaryEmail: email,
    password,
    primaryEmailAuthEnabled: true,
    displayName: 'Ada',
  });
  expect(created.primaryEmail).toBe(email);

  const wrong = await client.signInWithCredential({ email, password: 'not the password', noRedirect: true });
  expect(wrong.status).toBe('error');
  expect(wrong.status === 'error' && wrong.error.errorCode).toBe('EMAIL_PASSWORD_MISMATCH');

  const signedIn = await client.signInWithCredential({ email, password, noRedirect: true });
  expect(signedIn.status).toBe('ok');
  const user = await client.getUser({ or: 'throw' });
  expect(user.id).toBe(created.id);
  expect(user.displayName).toBe('Ada');

  await user.update({ displayName: 'Ada Lovelace' });
  expect((await server.getUser(created.id))?.displayName).toBe('Ada Lovelace');
  expect((await server.listUsers()).map((u) => u.id)).toContain(created.id);

  const accessToken = await user.getAccessToken();
  const refreshToken = await user.getRefreshToken();
  const jwks = createRemoteJWKSet(
    new URL(`${emulator.apiUrl}/api/v1/projects/${emulator.projectId}/.well-known/jwks.json`),
  );
  const { payload } = await jwtVerify(accessToken!, jwks, {
    issuer: issuerFor(emulator.issuerBase, emulator.projectId, 'normal'),
    audience: emulator.projectId,
  });
  expect(payload.sub).toBe(created.id);

  // An unusable access token and a refresh token: the SDK must refresh through POST /auth/oauth/token.
  const refreshed = await clientWithTokens(refreshToken!).getUser({ or: 'throw' });
  expect(refreshed.displayName).toBe('Ada Lovelace');

  await user.signOut();
  expect(await client.getUser()).toBeNull();
  expect(await clientWithTokens(refreshToken!).getUser()).toBeNull();

  const signUpEmail = `${sdk}-signup-${Date.now()}@example.com`;
  expect(
    (
      await client.signUpWithCredential({
        email: signUpEmail,
        password,
        noRedirect: true,
        verificationCallbackUrl: 'http://localhost:3000/handler/email-verification',
      })
    ).status,
  ).toBe('ok');
  expect((await client.getUser({ or: 'throw' })).primaryEmail).toBe(signUpEmail);

  await (await server.getUser(created.id))!.delete();
  expect(await server.getUser(created.id)).toBeNull();
}

/** A known error's code from an SDK rejection, e.g. ACCESS_TYPE_REQUIRED. */
export async function sdkErrorCode(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (error) {
    return (error as { errorCode?: string }).errorCode ?? String(error);
  }
  return 'no error';
}

export { apps as sdkApps };
